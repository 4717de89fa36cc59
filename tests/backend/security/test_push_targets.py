"""Push endpoints against a real hub process: a device pointed inside the network gets
no connection and fails like any other (it is not deleted at once, which told the
attacker what an internal address answered); silent push targets do not hold up another
customer's push; a device that keeps failing is given up.

The push service is a mock: no real push service can be reached from these machines.
tests/push_service.py answers as one (TLS for push.careline.test, a test authority),
and the hub finds it through the test-only setting CARELINE_PUSH_STAND_INS (or, in the
"proxy" runs, through an HTTP CONNECT proxy, as a hub behind an outbound proxy does).
A `BlackHole` on loopback plays a push service that takes connections and never answers,
and a listener that must never be reached."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import httpcore
import httpx
import pytest
from sqlalchemy import insert, select

from app.backend.db import Database
from app.backend.db.tables import devices
from app.backend.push_delivery.targets import (
    CheckedBackend,
    PushTransport,
    SocketOption,
    public_address,
    refused,
)
from app.backend.settings import sqlite_url
from app.backend.util import dumps, new_id, now_text
from tests.backend.webpush_support import Browser
from tests.hub_process import RealHub
from tests.push_service import BlackHole, PushService
from tests.support import bearer, mutation, until

STUCK = "stuck.careline.test"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[PushService]:
    stand_in = PushService(tmp_path / "push")
    yield stand_in
    stand_in.close()


@pytest.fixture
def hole() -> Iterator[BlackHole]:
    silent = BlackHole()
    yield silent
    silent.close()


@pytest.fixture
def start_hub(tmp_path: Path) -> Iterator[Callable[[dict[str, str]], RealHub]]:
    started: list[RealHub] = []

    def start(env: dict[str, str]) -> RealHub:
        hub = RealHub(tmp_path / "hub")
        hub.env.update(env)
        hub.start()
        started.append(hub)
        return hub

    yield start
    for hub in started:
        hub.stop()


def register(hub: RealHub, token: str, endpoint: str) -> dict[str, object]:
    args: dict[str, Any] = {
        "platform": "webpush",
        "endpoint": endpoint,
        "keys": Browser(endpoint).keys(),
    }
    answer = httpx.post(
        f"{hub.url}/v1/sync/push",
        json={"client_id": "push-test", "mutations": [mutation("device.register", **args)]},
        headers=bearer(token),
    )
    assert answer.status_code == 200, answer.text
    result: dict[str, object] = answer.json()["results"][0]
    return result


def publish(hub: RealHub, title: str) -> None:
    operator = hub.cli("token", "create", "--scope", "status").split()[-1]
    made = httpx.post(
        f"{hub.url}/v1/admin/incidents",
        json={"title": title, "impact": "critical", "components": ["flights-ord"], "body": "."},
        headers=bearer(operator),
    )
    assert made.status_code == 201, made.text


def planted(hub: RealHub, customer_id: str, endpoints: list[str]) -> list[str]:
    """Devices written straight into the hub's database: endpoints registration refuses
    today, as rows from before that rule (or a name whose address changed since)."""
    db = Database(sqlite_url(hub.data_dir))
    ids = [new_id("dev") for _ in endpoints]
    keys = dumps(Browser(endpoints[0]).keys())
    try:
        with db.write() as conn:
            for device_id, endpoint in zip(ids, endpoints, strict=True):
                stamp = now_text()
                conn.execute(
                    insert(devices).values(
                        id=device_id, customer_id=customer_id, platform="webpush",
                        endpoint=endpoint, keys=keys, created_at=stamp, updated_at=stamp,
                    )
                )  # fmt: skip
    finally:
        db.dispose()
    return ids


def device_rows(hub: RealHub) -> dict[str, int]:
    """Each device left, with the pushes to it that failed in a row."""
    db = Database(sqlite_url(hub.data_dir))
    try:
        with db.read() as conn:
            rows = conn.execute(select(devices.c.id, devices.c.push_failures)).all()
    finally:
        db.dispose()
    return {row.id: row.push_failures for row in rows}


def test_a_device_pointed_inside_the_network_gets_no_connection_and_is_not_told_apart(
    service: PushService, hole: BlackHole, start_hub: Callable[[dict[str, str]], RealHub]
) -> None:
    hub = start_hub(service.env())
    port = hole.address[1]
    [(victim, _), (attacker, who)] = hub.sessions(["victim@example.com", "mallory@example.com"])
    assert register(hub, victim, service.endpoint("victim"))["status"] == "applied"
    for endpoint in (f"https://127.1:{port}/a", f"https://push.careline.test:{port}/a"):
        result = register(hub, attacker, endpoint)
        assert result["status"] == "rejected", result
    inside = planted(
        hub,
        who.id,
        [
            f"https://127.0.0.1:{port}/a",
            f"https://localhost:{port}/b",
            f"https://[::ffff:127.0.0.1]:{port}/c",
            f"https://push.careline.test:{port}/d",  # a stand-in's name, not its port
        ],
    )
    publish(hub, "Ground stop at ORD")
    service.wait_for(1)
    time.sleep(2)  # the attacker's devices had their turn too
    assert hole.accepted == 0, "the hub connected to the listener on loopback"
    left = device_rows(hub)
    # Kept and counted like any failing device: deleting it at once (as a push service's
    # 404/410 does) would show, in the data export, what an internal address answered.
    assert {device: left.get(device) for device in inside} == dict.fromkeys(inside, 1)


@pytest.mark.parametrize("route", ["direct", "proxy"])
def test_silent_push_targets_do_not_hold_up_another_customers_push(
    service: PushService,
    hole: BlackHole,
    start_hub: Callable[[dict[str, str]], RealHub],
    route: str,
) -> None:
    service.route(STUCK, hole.address)
    hub = start_hub(service.env() if route == "direct" else service.proxy_env())
    emails = ["victim@example.com", *(f"silent{n}@example.com" for n in range(20))]
    [(victim, _), *attackers] = hub.sessions(emails)
    assert register(hub, victim, service.endpoint("victim"))["status"] == "applied"
    for n, (token, _) in enumerate(attackers):
        assert register(hub, token, f"https://{STUCK}/push/{n}")["status"] == "applied"
    opened = httpx.post(
        f"{hub.url}/v1/sync/push",
        json={"client_id": "t", "mutations": [mutation("case.open", subject="S", description="D")]},
        headers=bearer(victim),
    )
    case_id = opened.json()["results"][0]["entity"]["id"]

    publish(hub, "Ground stop at ORD")  # to the victim and to the 20 silent devices
    replied = time.monotonic()
    hub.cli("case", "reply", case_id, "--body", "Seat 12A is yours.")
    deadline = replied + 30
    while len([p for p in service.received if p.path == "/push/victim"]) < 2:
        assert time.monotonic() < deadline, "the reply was not pushed within 30 s"
        time.sleep(0.05)
    waited = time.monotonic() - replied
    assert hole.accepted >= 1, "the silent devices were tried"
    assert waited < 10, f"the reply's push took {waited:.1f} s behind 20 silent devices"


def test_a_device_that_keeps_failing_is_given_up(
    service: PushService, hole: BlackHole, start_hub: Callable[[dict[str, str]], RealHub]
) -> None:
    hub = start_hub(
        {
            **service.env(),
            "CARELINE_PUSH_GIVE_UP_AFTER": "3",
            "CARELINE_PUSH_GIVE_UP_SECONDS": "0",
        }
    )
    [(token, who)] = hub.sessions(["dana@example.com"])
    assert register(hub, token, service.endpoint("dana"))["status"] == "applied"
    [failing] = planted(hub, who.id, [f"https://127.0.0.1:{hole.address[1]}/gone"])
    for count in (1, 2):
        publish(hub, f"Delays at ORD, update {count}")
        service.wait_for(count)

        def counted(n: int = count) -> bool:
            return device_rows(hub).get(failing) == n

        until(counted, f"failure {count} counted")
    publish(hub, "Delays at ORD, update 3")
    service.wait_for(3)
    until(lambda: failing not in device_rows(hub), "given up after three failures in a row")
    assert len(device_rows(hub)) == 1, "the working device stays"
    assert hole.accepted == 0


# In process: where the hub's push client connects, with the network replaced by a recorder.
INSIDE = [
    *("127.0.0.1", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1"),
    *("0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255", "192.0.2.1", "198.18.0.1"),
    *("::1", "::", "fe80::1%eth0", "fc00::1", "fec0::1", "ff02::1", "::ffff:127.0.0.1"),
    *("::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "2001:db8::1"),
]


class Recorder(httpcore.AsyncNetworkBackend):
    """The network: notes where each connection would go and makes none."""

    def __init__(self) -> None:
        self.connects: list[tuple[str, int]] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.connects.append((host, port))
        raise httpcore.ConnectError("no network here")


def push_client(*answers: list[str]) -> tuple[httpx.AsyncClient, Recorder, list[str]]:
    """A push client whose DNS gives `answers` in turn (the last one from then on)."""
    asked: list[str] = []

    async def resolver(host: str, port: int) -> list[str]:
        asked.append(host)
        return answers[min(len(asked), len(answers)) - 1]

    network = Recorder()
    backend = CheckedBackend(resolver=resolver, network=network)
    transport = PushTransport(backend, limits=httpx.Limits(max_connections=4))
    return httpx.AsyncClient(transport=transport), network, asked


async def send(client: httpx.AsyncClient, endpoint: str) -> httpx.ConnectError:
    with pytest.raises(httpx.ConnectError) as failed:
        await client.post(endpoint, content=b"x")
    return failed.value


async def test_the_address_checked_is_the_one_connected_to() -> None:
    """DNS rebinding: a name that answers with a public address, then with loopback."""
    client, network, asked = push_client(["93.184.215.14"], ["127.0.0.1"])
    async with client:
        assert not refused(await send(client, "https://push.example/a"))
        assert refused(await send(client, "https://push.example/a"))
    assert network.connects == [("93.184.215.14", 443)], "one lookup, its address, no other"
    assert asked == ["push.example", "push.example"]


@pytest.mark.parametrize("answer", [[a] for a in INSIDE] + [["93.184.215.14", "10.0.0.1"], []])
async def test_a_name_resolving_inside_the_network_is_never_connected_to(
    answer: list[str],
) -> None:
    assert not any(public_address(a) for a in INSIDE)
    client, network, _ = push_client(answer)
    async with client:
        assert refused(await send(client, "https://push.example/a"))
    assert network.connects == []


@pytest.mark.parametrize(
    "endpoint",
    ["https://push.example:8443/a", "https://push.example:80/a", "http://push.example/a"],
)
async def test_only_https_on_port_443(endpoint: str) -> None:
    client, network, asked = push_client(["93.184.215.14"])
    async with client:
        assert refused(await send(client, endpoint))
        assert not refused(await send(client, "https://push.example:443/a"))
    assert asked == ["push.example"] and network.connects == [("93.184.215.14", 443)]
    assert public_address("2606:4700:4700::1111") and public_address("::ffff:93.184.215.14")
