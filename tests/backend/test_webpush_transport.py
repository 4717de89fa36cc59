"""Web Push at speed without cutting corners: the encryption is RFC 8291's (its worked
example reproduced byte for byte), one VAPID signature serves a push service origin
until it nears expiry, pushes go over TLS on kept-alive connections to the push service
stand-in (tests/push_service.py, a real HTTPS server on loopback: no real push service
can be reached from here), and a service answering 404 or 410 still removes the device."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import http_ece
import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from app.backend.db import Database
from app.backend.db.tables import devices
from app.backend.push_delivery import PushDispatcher
from app.backend.push_delivery.base import Device, PushMessage
from app.backend.push_delivery.setup import push_client
from app.backend.push_delivery.webpush import (
    RENEW_BEFORE,
    TOKEN_LIFETIME,
    WebPushAdapter,
    load_vapid,
)
from app.backend.settings import HubSettings, PushLimits, sqlite_url
from tests.backend.webpush_support import Browser, publish, register
from tests.push_service import HOST, PushService

# RFC 8291, Appendix A ("Intermediate Values for Encryption"), base64url.
RFC_PLAINTEXT = b"When I grow up, I want to be a watermelon"
RFC_AS_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"
RFC_UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
RFC_UA_PUBLIC = (
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
)
RFC_AUTH = "BTBZMqHH6r4Tts7J_aSIgg"
RFC_SALT = "DGv6ra1nlYgDCS1FRnbzlw"
RFC_BODY = (
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS"
    "6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qul"
    "cy4a-fN"
)
MESSAGE = PushMessage("Snow at ORD", "Delays.", "/status", "incident", "i1", 1, 60, "t")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def private(text: str) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(int.from_bytes(unb64(text)), ec.SECP256R1())


def claims(headers: dict[str, str]) -> dict[str, object]:
    token = headers["Authorization"].removeprefix("vapid t=").split(",")[0]
    found: dict[str, object] = json.loads(unb64(token.split(".")[1]))
    return found


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PushService]:
    stand_in = PushService(tmp_path / "push")
    monkeypatch.setenv("SSL_CERT_FILE", str(stand_in.ca_file))  # trust the test authority
    yield stand_in
    stand_in.close()


def test_the_encryption_is_rfc_8291s_worked_example(tmp_path: Path) -> None:
    adapter = WebPushAdapter(load_vapid(tmp_path), httpx.AsyncClient(), contact="mailto:a@b.c")
    device = Device(
        "d", "c", "webpush", "https://x.test/1", {"p256dh": RFC_UA_PUBLIC, "auth": RFC_AUTH}
    )
    body = adapter.encrypt(
        device, RFC_PLAINTEXT, server_key=private(RFC_AS_PRIVATE), salt=unb64(RFC_SALT)
    )
    assert body == unb64(RFC_BODY)
    fresh = adapter.encrypt(device, RFC_PLAINTEXT)  # a key pair and salt of its own
    assert fresh != body
    plain = http_ece.decrypt(
        fresh, private_key=private(RFC_UA_PRIVATE), auth_secret=unb64(RFC_AUTH), version="aes128gcm"
    )
    assert plain == RFC_PLAINTEXT


def test_one_signature_per_origin_renewed_before_it_expires(tmp_path: Path) -> None:
    now = [1_800_000_000.0]
    adapter = WebPushAdapter(
        load_vapid(tmp_path), httpx.AsyncClient(), contact="mailto:a@b.c", clock=lambda: now[0]
    )
    first = adapter.vapid_headers("https://push.example/a")
    assert adapter.vapid_headers("https://push.example/b") is first, "same origin, same token"
    other = adapter.vapid_headers("https://other.example/a")
    assert adapter.signatures == 2
    assert claims(first)["aud"] == "https://push.example"
    assert claims(other)["aud"] == "https://other.example"
    expires = claims(first)["exp"]
    assert expires == int(now[0]) + TOKEN_LIFETIME <= now[0] + 24 * 3600
    now[0] = expires - RENEW_BEFORE - 1  # still more than RENEW_BEFORE left: kept
    assert adapter.vapid_headers("https://push.example/c") is first
    now[0] += 2  # less left: signed again, with a later expiry
    renewed = adapter.vapid_headers("https://push.example/c")
    assert adapter.signatures == 3
    assert isinstance(expires, int) and claims(renewed)["exp"] == int(now[0]) + TOKEN_LIFETIME


async def test_pushes_in_encryption_threads_decrypt(tmp_path: Path) -> None:
    browser = Browser("https://push.example/1")
    adapter = WebPushAdapter(
        load_vapid(tmp_path), httpx.AsyncClient(), contact="mailto:a@b.c", encrypt_threads=2
    )

    def take(request: httpx.Request) -> httpx.Response:
        browser.take(request)
        return httpx.Response(201)

    adapter.client = httpx.AsyncClient(transport=httpx.MockTransport(take))
    device = Device("d", "c", "webpush", browser.endpoint, browser.keys())
    for _ in range(3):
        await adapter.send(device, MESSAGE)
    adapter.close()
    assert [p["title"] for p in browser.received] == ["Snow at ORD"] * 3


async def test_kept_alive_connections_and_gone_devices_removed(
    db: Database, tmp_path: Path, service: PushService
) -> None:
    browsers = [Browser(service.endpoint(f"d{n}")) for n in range(6)]
    for n, browser in enumerate(browsers):
        register(db, f"c{n}@example.com", "webpush", browser.endpoint, browser.keys())
    service.answers = {"/push/d0": [410], "/push/d1": [404]}
    settings = HubSettings(
        data_dir=tmp_path,
        database_url=sqlite_url(tmp_path),
        push_stand_ins=tuple(f"{n}={h}:{p}" for n, (h, p) in service.routes.items()),
        push_limits=PushLimits(per_host=2),  # two sends at a time: two connections at most
    )
    async with push_client(settings) as client:
        adapter = WebPushAdapter(load_vapid(tmp_path), client, contact="mailto:a@b.c")
        push = PushDispatcher(db, {"webpush": adapter}, limits=settings.push_limits)
        await push.push_new()
        for title in ("Snow at ORD", "Ice at ORD", "Fog at ORD", "Wind at ORD"):
            publish(db, title)
            await push.push_new()
    with db.read() as conn:
        left = set(conn.execute(select(devices.c.endpoint)).scalars())
    assert left == {b.endpoint for b in browsers[2:]}, "404 and 410 remove the device"
    assert len(service.received) == 4 * 4
    assert {d.path for d in service.received} == {f"/push/d{n}" for n in range(2, 6)}
    requests = 6 + 3 * 4
    assert 1 <= service.connections <= 2, f"{requests} requests over kept-alive connections"
    assert adapter.signatures == 1, "one VAPID signature for the push service"
    assert HOST in service.routes
