"""The load generator behind `bench.load` (and its short form in the tests): asyncio
workers over httpx on loopback, bounded in count and time."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.hub_process import RealHub
from tests.support import bearer, mutation

# More customers than the three raced slots have places, so bookings must be refused.
CUSTOMERS = 48
SIGN_INS_PER_ADDRESS = 10  # the hub allows 30 sign-in requests per address in 15 minutes


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 1.0
    note: str = ""
    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds

    def quantile(self, share: float) -> float:
        ordered = sorted(self.latencies) or [0.0]
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    @property
    def p50(self) -> float:
        return self.quantile(0.5)

    @property
    def p99(self) -> float:
        return self.quantile(0.99)


class Usage:
    """CPU time and memory of a process since it was made."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.started = time.monotonic()
        self.cpu = self._cpu()

    def _cpu(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def since(self) -> tuple[float, int]:
        """Share of one core used, and resident memory in KiB."""
        share = (self._cpu() - self.cpu) / (time.monotonic() - self.started)
        rss = next(
            int(line.split()[1])
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines()
            if line.startswith("VmRSS:")
        )
        return share, rss


def hub_usage(pid: int) -> Usage:
    return Usage(pid)


def base(target: RealHub | str) -> str:
    return target if isinstance(target, str) else target.url


async def drive(
    targets: list[RealHub | str],
    seconds: float,
    workers: int,
    one: Any,
) -> Result:
    """Run `one(client, url, worker)` in a loop on each worker until time is up."""
    result = Result(seconds=seconds)
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=workers, max_keepalive_connections=workers)

    async def worker(n: int, client: httpx.AsyncClient) -> None:
        url = base(targets[n % len(targets)])
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                outcome = await one(client, url, n)
            except httpx.HTTPError:
                outcome = "error"
            result.latencies.append(time.perf_counter() - started)
            result.outcomes[outcome] += 1
            if outcome == "error":
                result.errors += 1

    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        await asyncio.gather(*(worker(n, client) for n in range(workers)))
    return result


async def status_profile(
    targets: list[RealHub | str], *, seconds: float, workers: int, revalidate: bool | None
) -> Result:
    """GET /v1/status: fresh (200), revalidated (304), or alternating when None."""
    etags: dict[str, str] = {}

    async def one(client: httpx.AsyncClient, url: str, n: int) -> str:
        again = revalidate if revalidate is not None else n % 2 == 1
        headers = {"If-None-Match": etags[url]} if again and url in etags else {}
        response = await client.get(f"{url}/v1/status", headers=headers)
        if response.status_code == 200 and "etag" in response.headers:
            etags[url] = response.headers["etag"]
        return str(response.status_code) if response.status_code in (200, 304) else "error"

    return await drive(targets, seconds, workers, one)


def sign_in_customers(hub: RealHub, count: int = CUSTOMERS) -> list[str]:
    """Tokens of `count` new customers. The hub limits sign-ins per address, so they come
    from several loopback addresses (127.0.0.2, 127.0.0.3, ...), like separate devices."""
    emails = [f"load{n}-{uuid.uuid4().hex[:6]}@example.com" for n in range(count)]

    def device(n: int) -> httpx.Client:
        address = f"127.0.0.{2 + n // SIGN_INS_PER_ADDRESS}"
        transport = httpx.HTTPTransport(local_address=address)
        return httpx.Client(base_url=hub.url, transport=transport, timeout=30)

    attempts = {}
    for n, email in enumerate(emails):
        with device(n) as client:
            started = client.post("/v1/auth/start", json={"email": email})
            assert started.status_code == 202
            attempts[email] = started.json()["attempt"]
    codes = dict(line.split()[:2] for line in hub.cli("auth", "codes").splitlines() if line)
    tokens = []
    for n, email in enumerate(emails):
        body = {"email": email, "attempt": attempts[email], "code": codes[email]}
        with device(n) as client:
            verified = client.post("/v1/auth/verify", json=body)
        assert verified.status_code == 200, verified.text
        tokens.append(str(verified.json()["token"]))
    return tokens


async def run_profile(
    name: str,
    hubs: list[RealHub],
    *,
    seconds: float,
    workers: int,
    tokens: list[str] | None = None,
) -> Result:
    if name == "status":
        return await status_profile(list(hubs), seconds=seconds, workers=workers, revalidate=None)
    tokens = tokens or sign_in_customers(hubs[0])
    if name == "pull":
        return await pull_profile(hubs, tokens, seconds=seconds, workers=workers)
    return await writes_profile(hubs, tokens, seconds=seconds, workers=workers)


async def caught_up_cursors(hub: RealHub, tokens: list[str]) -> dict[str, str]:
    """Each customer's cursor after pulling everything there is."""
    cursors: dict[str, str] = {}
    async with httpx.AsyncClient(base_url=hub.url, timeout=30) as client:
        for token in tokens:
            cursor = None
            while True:
                page = await client.get(
                    "/v1/sync/pull",
                    params={"limit": 500, **({"cursor": cursor} if cursor else {})},
                    headers=bearer(token),
                )
                body = page.json()
                cursor = body["cursor"]
                if not body["has_more"]:
                    break
            cursors[token] = cursor or ""
    return cursors


async def pull_profile(
    hubs: list[RealHub], tokens: list[str], *, seconds: float, workers: int
) -> Result:
    """Signed-in customers asking for changes with nothing new to give."""
    cursors = await caught_up_cursors(hubs[0], tokens)

    async def one(client: httpx.AsyncClient, url: str, n: int) -> str:
        token = tokens[n % len(tokens)]
        response = await client.get(
            f"{url}/v1/sync/pull",
            params={"cursor": cursors[token]},
            headers=bearer(token),
        )
        empty = response.status_code == 200 and not response.json()["changes"]
        return "empty" if empty else "error"

    return await drive(list(hubs), seconds, workers, one)


async def writes_profile(
    hubs: list[RealHub], tokens: list[str], *, seconds: float, workers: int
) -> Result:
    """Case opens, replies and callback requests racing for the same three slots; then
    checks that no slot holds more than its places and no acknowledged write is lost."""
    async with httpx.AsyncClient(base_url=hubs[0].url, timeout=30) as client:
        found = await client.get(
            "/v1/callbacks/availability", params={"queue": "rebooking", "limit": 3}
        )
        slots = found.json()["slots"]
    # Places per slot: those still free plus those already taken before the run.
    taken = Counter(c["slot_start"] for c in await scheduled_callbacks(hubs[0]))
    capacity = {s["start"]: s["remaining"] + taken[s["start"]] for s in slots}
    applied: list[tuple[str, str, str]] = []  # mutation name, entity id, reply's client_ref
    cases_of: dict[str, list[str]] = {}  # by customer token
    rounds: Counter[int] = Counter()

    def next_mutation(n: int) -> tuple[str, dict[str, Any]]:
        """A customer (and the mutation they send): each worker serves its share of the
        customers in turn, each opening a case, answering it, then asking for a slot."""
        rounds[n] += 1
        token = tokens[(n + workers * (rounds[n] // 3)) % len(tokens)]
        kind = rounds[n] % 3
        if kind == 1 and cases_of.get(token):
            ref = f"reply-{uuid.uuid4()}"
            body = "Any news?"
            return token, mutation(
                "case.reply", case=cases_of[token][-1], body=body, client_ref=ref
            )
        if kind == 2:
            start = slots[(n + rounds[n] // 3) % len(slots)]["start"]
            return token, mutation(
                "callback.request", queue="rebooking", mode="slot", phone="+13125550100",
                slot_start=start,
            )  # fmt: skip
        return token, mutation("case.open", subject=f"Load {n}", description="Storm day")

    async def one(client: httpx.AsyncClient, url: str, n: int) -> str:
        token, sent = next_mutation(n)
        response = await client.post(
            f"{url}/v1/sync/push",
            json={"client_id": f"load-{n}", "mutations": [sent]},
            headers=bearer(token),
        )
        if response.status_code == 429:
            return "rate_limited"
        if response.status_code != 200:
            return "error"
        [outcome] = response.json()["results"]
        if outcome["status"] == "applied":
            entity_id = outcome["entity"]["id"]
            applied.append((sent["name"], entity_id, sent["args"].get("client_ref", "")))
            if sent["name"] == "case.open":
                cases_of.setdefault(token, []).append(entity_id)
        return (
            str(outcome["status"]) if outcome["status"] != "rejected" else outcome["error"]["code"]
        )

    result = await drive(list(hubs), seconds, workers, one)
    lost, over = await lost_and_overbooked(hubs[0], applied, capacity)
    result.note = f"{dict(result.outcomes)}; double bookings: {over}; lost writes: {lost}"
    result.errors += over + lost
    return result


async def lost_and_overbooked(
    hub: RealHub, applied: list[tuple[str, str, str]], capacity: dict[str, int]
) -> tuple[int, int]:
    """How many acknowledged writes the hub no longer has, and how many slots hold more
    callbacks than their places."""
    async with operator_client(hub) as client:
        booked = await every_item(client, "/v1/admin/callbacks")
        cases = await every_item(client, "/v1/admin/cases")
    per_slot = Counter(c["slot_start"] for c in booked if c["status"] == "scheduled")
    over = sum(1 for s, n in per_slot.items() if s in capacity and n > capacity[s])
    kept = {c["id"] for c in booked} | {c["id"] for c in cases}
    replies = {m["client_ref"] for c in cases for m in c["messages"] if m.get("client_ref")}
    lost = sum(
        1
        for name, entity_id, ref in applied
        if entity_id not in kept or (name == "case.reply" and ref not in replies)
    )
    return lost, over


def operator_client(hub: RealHub) -> httpx.AsyncClient:
    operator = hub.cli("token", "create", "--scope", "callbacks", "cases").split()[-1]
    return httpx.AsyncClient(base_url=hub.url, timeout=30, headers=bearer(operator))


async def scheduled_callbacks(hub: RealHub) -> list[dict[str, Any]]:
    async with operator_client(hub) as client:
        booked = await every_item(client, "/v1/admin/callbacks")
    return [c for c in booked if c["status"] == "scheduled"]


async def every_item(client: httpx.AsyncClient, path: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(path, params=params)).json()
        items.extend(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return items
