"""Pushes in the recipient's language: a customer's (their `locale`) and a device's
registered without an account (the `locale` it registered with), with the company's
default text where nothing is translated."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import update

from app.backend.crud import status
from app.backend.crud.callbacks import request_callback, set_callback_status
from app.backend.crud.components import save_component
from app.backend.db import Database
from app.backend.db.tables import callbacks, customers
from app.backend.util import format_time, now
from app.schemas import CallbackMode, CallbackStatus, Impact
from app.schemas.status import IncidentTranslation
from tests.backend.webpush_support import Browser, dispatcher, push_service, register
from tests.support import Company


def spanish_customer(db: Database, email: str, browser: Browser) -> str:
    customer_id = register(db, email, "webpush", browser.endpoint, browser.keys())
    with db.write() as conn:
        conn.execute(update(customers).where(customers.c.id == customer_id).values(locale="es"))
    return customer_id


async def signed_out(client: httpx.AsyncClient, browser: Browser, locale: str | None) -> None:
    body = {"platform": "webpush", "endpoint": browser.endpoint, "keys": browser.keys()}
    made = await client.post("/v1/alerts/devices", json={**body, "locale": locale})
    assert made.status_code == 201, made.text


async def test_an_incident_pushed_in_each_recipients_language(
    client: httpx.AsyncClient, db: Database, tmp_path: Path, company: Company
) -> None:
    maria, john = Browser("https://push.example/maria"), Browser("https://push.example/john")
    anon_es, anon = Browser("https://push.example/anon-es"), Browser("https://push.example/anon")
    spanish_customer(db, "maria@example.com", maria)
    register(db, "john@example.com", "webpush", john.endpoint, john.keys())
    await signed_out(client, anon_es, "es-MX")
    await signed_out(client, anon, None)
    browsers = {b.endpoint: b for b in (maria, john, anon_es, anon)}
    sender = dispatcher(db, tmp_path, push_service({}, browsers))
    await sender.push_new()
    with db.write() as conn:
        save_component(conn, component_id="flights-ord", name="Flights at ORD")
        status.publish_incident(
            conn,
            title="Storm at ORD",
            impact=Impact.critical,
            components_affected=["flights-ord"],
            body="Snow is falling.\n\nMore soon.",
            translations={"es": IncidentTranslation(title="Tormenta en ORD", body="Nieva.")},
        )
    while await sender.push_new():
        pass
    said = {
        name: [(p["title"], p["body"]) for p in b.received]
        for name, b in (("maria", maria), ("john", john), ("anon_es", anon_es), ("anon", anon))
    }
    assert said == {
        "maria": [("Tormenta en ORD", "Nieva.")],
        "anon_es": [("Tormenta en ORD", "Nieva.")],
        "john": [("Storm at ORD", "Snow is falling.")],
        "anon": [("Storm at ORD", "Snow is falling.")],
    }


async def test_a_spanish_customers_reminder_and_missed_call(
    db: Database, tmp_path: Path, company: Company
) -> None:
    phone = Browser("https://push.example/phone")
    customer_id = spanish_customer(db, "lucia@example.com", phone)
    soon = now() + timedelta(hours=2)
    with db.write() as conn:
        booked = request_callback(
            conn,
            customer_id=customer_id,
            queue_id=company.queue_id,
            mode=CallbackMode.slot,
            phone="+13125550142",
            slot_start=soon.replace(minute=0, second=0, microsecond=0),
        )
    sender = dispatcher(db, tmp_path, push_service({}, {phone.endpoint: phone}))
    await sender.push_new()
    with db.write() as conn:
        start = format_time(now() + timedelta(minutes=10))
        conn.execute(update(callbacks).where(callbacks.c.id == booked.id).values(slot_start=start))
    assert sender.remind() == 1
    with db.write() as conn:
        set_callback_status(conn, callback_id=booked.id, status=CallbackStatus.missed)
    while await sender.push_new():
        pass
    titles = [p["title"] for p in phone.received]
    assert titles == ["Tu llamada es pronto", "No pudimos hablar contigo"]
    reminder = phone.received[0]["body"]
    assert reminder.startswith("Llamaremos al número que termina en 0142 en aproximadamente")
