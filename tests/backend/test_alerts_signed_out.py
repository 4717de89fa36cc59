"""Alerts without an account: a device registers with what it follows and a secret; it gets
the public incidents that concern it, never anything personal; signing in claims it, and
what it followed joins what the customer follows. Callback ends and reminders are pushed
to the customer's own devices."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select, update

from app.backend.crud import cases, subscriptions
from app.backend.crud.callbacks import request_callback, set_callback_status
from app.backend.db import Database
from app.backend.db.tables import alert_devices, callbacks, devices
from app.backend.util import format_time, now
from app.schemas import CallbackMode, CallbackStatus, Impact, Subscriptions
from tests.backend.webpush_support import Browser, dispatcher, publish, push_service, register
from tests.support import Company, assert_problem, mutation, push

ENDPOINT = "https://push.example/anon/1"


async def register_signed_out(
    client: httpx.AsyncClient,
    endpoint: str = ENDPOINT,
    crypto: dict[str, str] | None = None,
    **follows: Any,
) -> dict[str, str]:
    """A device registered signed out: `crypto` its push keys, `follows` what it follows."""
    body = {"platform": "webpush", "endpoint": endpoint, "keys": crypto or {}, "follows": follows}
    made = await client.post("/v1/alerts/devices", json=body)
    assert made.status_code == 201, made.text
    answer: dict[str, str] = made.json()
    return answer


def secret(value: str) -> dict[str, str]:
    return {"Authorization": f"Device {value}"}


async def test_a_device_changes_or_ends_its_alerts_with_its_secret_only(
    client: httpx.AsyncClient, db: Database
) -> None:
    first = await register_signed_out(client, keys=["ord"])
    with db.read() as conn:
        row = conn.execute(select(alert_devices)).one()
    assert first["secret"] not in str(tuple(row)), "only a hash of the secret is kept"
    assert Subscriptions.model_validate_json(row.follows).keys == ["ORD"]
    path = f"/v1/alerts/devices/{first['id']}"
    follows = {"follows": {"components": ["baggage"]}}
    assert_problem(await client.put(path, json=follows), 401)
    assert_problem(await client.put(path, json=follows, headers=secret("guess")), 404)
    changed = await client.put(path, json=follows, headers=secret(first["secret"]))
    assert changed.status_code == 204, changed.text
    # The same browser registering again (it lost its secret) is the same device.
    again = await register_signed_out(client)
    assert again["id"] == first["id"] and again["secret"] != first["secret"]
    assert_problem(await client.delete(path, headers=secret(first["secret"])), 404)
    assert (await client.delete(path, headers=secret(again["secret"]))).status_code == 204
    with db.read() as conn:
        assert conn.execute(select(alert_devices)).all() == []


async def test_registrations_are_checked_and_limited(client: httpx.AsyncClient) -> None:
    for endpoint in ("http://push.example/x", "https://127.0.0.1/x", "https://localhost/x"):
        body = {"platform": "webpush", "endpoint": endpoint}
        assert_problem(await client.post("/v1/alerts/devices", json=body), 422)
    wrong = {"platform": "webpush", "endpoint": ENDPOINT, "follows": {"keys": ["X"] * 201}}
    assert_problem(await client.post("/v1/alerts/devices", json=wrong), 422)
    for n in range(20 - 3):  # 20 tries per address in 15 minutes, refused ones too
        await register_signed_out(client, f"{ENDPOINT}/{n}")
    limited = await client.post(
        "/v1/alerts/devices", json={"platform": "webpush", "endpoint": f"{ENDPOINT}/21"}
    )
    assert_problem(limited, 429)
    assert limited.headers["Retry-After"]


async def test_public_incidents_that_concern_it_and_nothing_personal(
    client: httpx.AsyncClient, db: Database, tmp_path: Path, company: Company
) -> None:
    ord_fan, everyone = Browser(ENDPOINT), Browser("https://push.example/anon/2")
    await register_signed_out(client, ord_fan.endpoint, ord_fan.keys(), components=["flights-ord"])
    await register_signed_out(client, everyone.endpoint, everyone.keys())
    customer = Browser("https://push.example/customer")
    customer_id = register(db, "dana@example.com", "webpush", customer.endpoint, customer.keys())
    browsers = {b.endpoint: b for b in (ord_fan, everyone, customer)}
    sender = dispatcher(db, tmp_path, push_service({}, browsers))
    await sender.push_new()
    publish(db, "Snow at ORD", Impact.minor)
    with db.write() as conn:
        case = cases.open_case(
            conn, customer_id=customer_id, subject="Lost bag", description="Blue", category="bags"
        )
        cases.agent_reply(conn, case_id=case.id, body="Found it", author_name="Maya")
    while await sender.push_new():
        pass
    assert [p["title"] for p in ord_fan.received] == ["Snow at ORD"]
    assert [p["title"] for p in everyone.received] == ["Snow at ORD"]
    assert [p["kind"] for p in customer.received] == ["incident", "case"], "hers alone"


async def test_signing_in_claims_the_device_and_joins_what_it_followed(
    client: httpx.AsyncClient, db: Database, alice: dict[str, str], bob: dict[str, str]
) -> None:
    [joined] = await push(client, alice, mutation("subscriptions.set", keys=["BOS"]))
    assert joined["status"] == "applied"
    made = await register_signed_out(client, keys=["ORD"], components=["baggage"])
    claim = {"id": made["id"], "secret": made["secret"]}
    assert_problem(
        await client.post("/v1/me/devices", json={**claim, "secret": "x"}, headers=bob), 404
    )
    claimed = await client.post("/v1/me/devices", json=claim, headers=alice)
    assert claimed.status_code == 200, claimed.text
    follows = claimed.json()["follows"]
    assert follows["keys"] == ["BOS", "ORD"] and follows["components"] == ["baggage"]
    with db.read() as conn:
        assert conn.execute(select(alert_devices)).all() == []
        [device] = conn.execute(select(devices)).all()
    assert (device.endpoint, device.id) == (ENDPOINT, claimed.json()["device_id"])
    assert_problem(await client.post("/v1/me/devices", json=claim, headers=alice), 404)
    # Signed out on that browser: no more pushes to it, and only Alice can say so.
    path = f"/v1/me/devices/{device.id}"
    assert_problem(await client.delete(path, headers=bob), 404)
    assert (await client.delete(path, headers=alice)).status_code == 204


async def test_a_browser_gets_the_pushes_of_whoever_registered_it_last(
    client: httpx.AsyncClient, db: Database, alice: dict[str, str], bob: dict[str, str]
) -> None:
    """A shared browser: Alice turned alerts on, signed out offline (the hub was not told),
    then Bob signed in and turned them on, then the browser was used signed out."""
    for customer in (alice, bob):
        register = mutation("device.register", platform="webpush", endpoint=ENDPOINT)
        [done] = await push(client, customer, register)
        assert done["status"] == "applied", done
    with db.read() as conn:
        [owner] = conn.execute(select(devices.c.customer_id)).scalars().all()
    assert owner == (await client.get("/v1/me", headers=bob)).json()["id"], "Alice's is gone"
    await register_signed_out(client)
    with db.read() as conn:
        assert conn.execute(select(devices)).all() == [], "nobody's personal pushes"
        assert len(conn.execute(select(alert_devices)).all()) == 1


async def test_following_more_from_the_outbox_joins_instead_of_replacing(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    await push(
        client, alice, mutation("subscriptions.set", keys=["BOS"], quiet_hours=["22:00", "07:00"])
    )
    [joined] = await push(
        client, alice, mutation("subscriptions.join", keys=["ord"], quiet_hours=["23:00", "06:00"])
    )
    assert joined["status"] == "applied"
    data = joined["entity"]["data"]
    assert data["keys"] == ["BOS", "ORD"] and data["quiet_hours"] == ["22:00", "07:00"]


async def test_a_reminder_before_a_scheduled_call_once_and_callback_ends_pushed(
    db: Database, tmp_path: Path, company: Company
) -> None:
    phone = Browser("https://push.example/phone")
    customer_id = register(db, "sam@example.com", "webpush", phone.endpoint, phone.keys())
    start = (now() + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    with db.write() as conn:
        booked = request_callback(
            conn,
            customer_id=customer_id,
            queue_id=company.queue_id,
            mode=CallbackMode.slot,
            phone="+13125550142",
            slot_start=start,
        )
    sender = dispatcher(db, tmp_path, push_service({}, {phone.endpoint: phone}))
    await sender.push_new()
    assert sender.remind() == 0, "two hours ahead: not yet"
    soon = format_time(now() + timedelta(minutes=10))
    with db.write() as conn:
        conn.execute(update(callbacks).where(callbacks.c.id == booked.id).values(slot_start=soon))
    assert (sender.remind(), sender.remind()) == (1, 0), "reminded once"
    with db.write() as conn:
        set_callback_status(conn, callback_id=booked.id, status=CallbackStatus.missed)
    while await sender.push_new():
        pass
    titles = [(p["kind"], p["title"]) for p in phone.received]
    assert titles == [("reminder", "Your callback is soon"), ("callback", "We missed you")]
    reminder = phone.received[0]["body"]
    assert "0142" in reminder and "+1312" not in reminder
    assert reminder.endswith(("in about 9 minutes.", "in about 10 minutes.")), reminder
    assert phone.received[0]["route"] == f"/callbacks/{booked.id}"
    with db.read() as conn:
        follows = subscriptions.get_subscriptions(conn, customer_id=customer_id)
    assert follows == Subscriptions()
