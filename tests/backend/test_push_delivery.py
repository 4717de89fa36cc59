"""Push delivery: a Web Push receiver that decrypts what it gets, the VAPID signature, TTL
and collapse key; expired endpoints forgotten; 429 and 5xx retried; FCM's request."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
from py_vapid import Vapid02
from sqlalchemy import select

from app.backend.crud import auth, subscriptions
from app.backend.db import Database
from app.backend.db.tables import devices
from app.backend.main import create_app
from app.backend.push_delivery import PushDispatcher
from app.backend.push_delivery.fcm import FcmAdapter
from app.backend.push_delivery.webpush import load_vapid, public_key
from app.backend.settings import HubSettings
from app.schemas import Impact, Subscriptions
from app.schemas.mutations import DeviceRegisterArgs
from tests.backend.webpush_support import Browser, dispatcher, publish, push_service, register
from tests.support import Company


async def test_a_browser_gets_the_incident_encrypted_and_signed(
    db: Database, tmp_path: Path
) -> None:
    browser = Browser("https://push.example/sub/1")
    register(db, "dana@example.com", "webpush", browser.endpoint, browser.keys())
    push = dispatcher(db, tmp_path, push_service({}, {browser.endpoint: browser}))
    assert await push.push_new() == 0, "the first round only sets where pushing starts"
    publish(db, 'Ground stop: "all" flights 🛑')
    assert await push.push_new() >= 1
    [payload] = browser.received
    assert payload["title"] == 'Ground stop: "all" flights 🛑'
    assert payload["route"].startswith("/status/inc_") and payload["body"] == "Now."
    [headers] = browser.headers
    assert headers["Topic"] == f"inc-{payload['id']}"[:32]
    assert headers["TTL"] == str(24 * 3600) and headers["Urgency"] == "high"
    assert Vapid02.verify(headers["Authorization"])
    assert headers["Authorization"].endswith("k=" + public_key(load_vapid(tmp_path)))
    assert (tmp_path / "vapid.pem").stat().st_mode & 0o077 == 0, "the key is the owner's"


def test_the_hub_signs_with_the_key_its_settings_hold(
    settings: HubSettings, tmp_path: Path
) -> None:
    key = Vapid02()
    key.generate_keys()
    api = create_app(replace(settings, vapid_private_key=key.private_pem().decode()))
    try:
        assert api.state.hub.push_key == public_key(key)
    finally:
        api.state.hub.db.dispose()
    assert not (tmp_path / "vapid.pem").exists(), "no key of its own is made"


async def test_expired_endpoints_are_forgotten_and_busy_ones_retried(
    db: Database, tmp_path: Path
) -> None:
    gone, busy = Browser("https://push.example/gone"), Browser("https://push.example/busy")
    register(db, "a@example.com", "webpush", gone.endpoint, gone.keys())
    register(db, "b@example.com", "webpush", busy.endpoint, busy.keys())
    answers = {gone.endpoint: [410], busy.endpoint: [429, 503, 500]}
    push = dispatcher(db, tmp_path, push_service(answers, {b.endpoint: b for b in (gone, busy)}))
    await push.push_new()
    publish(db, "Snow at ORD")
    await push.push_new()
    assert [p["title"] for p in busy.received] == ["Snow at ORD"], "delivered on the 4th try"
    assert gone.received == []
    with db.read() as conn:
        left = conn.execute(select(devices.c.endpoint)).scalars().all()
    assert left == [busy.endpoint]


async def test_only_the_customers_it_concerns_and_never_twice(db: Database, tmp_path: Path) -> None:
    follower, other = Browser("https://push.example/f"), Browser("https://push.example/o")
    register(db, "f@example.com", "webpush", follower.endpoint, follower.keys())
    other_id = register(db, "o@example.com", "webpush", other.endpoint, other.keys())
    with db.write() as conn:
        subscriptions.set_subscriptions(
            conn,
            customer_id=other_id,
            wanted=Subscriptions(components=["baggage"]),
        )
    push = dispatcher(db, tmp_path, push_service({}, {b.endpoint: b for b in (follower, other)}))
    await push.push_new()
    publish(db, "Minor delays at ORD", Impact.minor)
    await push.push_new()
    await push.push_new()
    assert [p["title"] for p in follower.received] == ["Minor delays at ORD"]
    assert other.received == [], "follows baggage only"


async def test_fcm_gets_a_message_with_ttl_and_collapse_key(db: Database) -> None:
    seen: list[dict[str, Any]] = []

    def fcm(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == "Bearer token-1"
        body = json.loads(request.content)
        if body["message"]["token"] == "stale":
            return httpx.Response(404, json={"error": {"status": "NOT_FOUND", "details": [
                {"errorCode": "UNREGISTERED"}]}})  # fmt: skip
        seen.append(body["message"])
        return httpx.Response(200, json={"name": "projects/nw/messages/1"})

    async def token() -> str:
        return "token-1"

    client = httpx.AsyncClient(transport=httpx.MockTransport(fcm))
    adapter = FcmAdapter(client, project="nw", access_token=token, base_url="https://fcm.test")
    register(db, "p@example.com", "fcm", "phone-token", {})
    register(db, "s@example.com", "fcm", "stale", {})
    push = PushDispatcher(db, {"fcm": adapter}, retry_base=0.01)
    await push.push_new()
    publish(db, "Storm at ORD")
    await push.push_new()
    [message] = seen
    assert message["notification"]["title"] == "Storm at ORD"
    assert message["android"]["ttl"] == "86400s"
    assert message["android"]["collapse_key"].startswith("inc-")
    with db.read() as conn:
        assert conn.execute(select(devices.c.endpoint)).scalars().all() == ["phone-token"]


async def test_a_browser_learns_the_key_and_registers(
    client: httpx.AsyncClient, alice: dict[str, str], db: Database
) -> None:
    key = (await client.get("/v1/push/key")).json()["public_key"]
    point = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert len(point) == 65 and point[0] == 4, "an uncompressed P-256 point"
    browser = Browser("https://push.example/sub/9")
    mutation = {
        "seq": 1,
        "key": "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        "name": "device.register",
        "args": {"platform": "webpush", "endpoint": browser.endpoint, "keys": browser.keys()},
        "created_at": "2026-11-22T00:00:00Z",
    }
    pushed = await client.post(
        "/v1/sync/push", json={"client_id": "web", "mutations": [mutation]}, headers=alice
    )
    assert pushed.json()["results"][0]["status"] == "applied"
    with db.read() as conn:
        assert conn.execute(select(devices.c.endpoint)).scalars().all() == [browser.endpoint]


async def test_an_endpoint_inside_the_network_is_refused(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    for endpoint in (
        "http://push.example/a",
        "https://127.0.0.1/a",
        "https://localhost/a",
        "https://127.1/a",  # 127.0.0.1, as the C library reads it
        "https://0x7f.1/a",
        "https://10.1/a",
        "https://[::1]/a",
        "https://printer.local/a",
        "https://metadata.internal/a",
    ):
        mutation = {
            "seq": 1,
            "key": str(uuid.uuid4()),
            "name": "device.register",
            "args": {"platform": "webpush", "endpoint": endpoint},
            "created_at": "2026-11-22T00:00:00Z",
        }
        pushed = await client.post(
            "/v1/sync/push", json={"client_id": "web", "mutations": [mutation]}, headers=alice
        )
        [result] = pushed.json()["results"]
        assert (result["status"], result["error"]["code"]) == ("rejected", "bad_endpoint")


async def test_a_reply_is_pushed_once_not_again_with_a_later_status(
    db: Database, tmp_path: Path, company: Company, operator: dict[str, str],
    client: httpx.AsyncClient, alice: dict[str, str],
) -> None:  # fmt: skip
    browser = Browser("https://push.example/sub/r")
    opened = {
        "seq": 1,
        "key": str(uuid.uuid4()),
        "name": "case.open",
        "args": {"subject": "Seat", "description": "Window please"},
        "created_at": "2026-11-22T00:00:00Z",
    }
    pushed = await client.post(
        "/v1/sync/push", json={"client_id": "web", "mutations": [opened]}, headers=alice
    )
    case_id = pushed.json()["results"][0]["entity"]["id"]
    with db.write() as conn:
        who = auth.ensure_customer(conn, email="alice@example.com")
        subscriptions.register_device(
            conn,
            customer_id=who.id,
            device=DeviceRegisterArgs(
                platform="webpush", endpoint=browser.endpoint, keys=browser.keys()
            ),
        )
    push = dispatcher(db, tmp_path, push_service({}, {browser.endpoint: browser}))
    await push.push_new()
    await client.post(
        f"/v1/admin/cases/{case_id}/replies", headers=operator, json={"body": "Done: 12A."}
    )
    await client.put(
        f"/v1/admin/cases/{case_id}/status", headers=operator, json={"status": "solved"}
    )
    await push.push_new()
    assert [p["body"] for p in browser.received] == ["Done: 12A."]


async def test_a_delivered_push_resets_the_count_of_failures(db: Database, tmp_path: Path) -> None:
    flaky = Browser("https://push.example/flaky")
    register(db, "f@example.com", "webpush", flaky.endpoint, flaky.keys())
    answers = {flaky.endpoint: [500] * 5}  # the first push fails on each of its tries
    push = dispatcher(db, tmp_path, push_service(answers, {flaky.endpoint: flaky}))
    await push.push_new()
    for title in ("Snow at ORD", "Fog at BOS"):
        publish(db, title)
        await push.push_new()
        with db.read() as conn:
            failures = conn.execute(select(devices.c.push_failures)).scalar_one()
        assert failures == (1 if title == "Snow at ORD" else 0)
    assert [p["title"] for p in flaky.received] == ["Fog at BOS"]
