"""What the company needs with a case or a callback: the booking reference in the
company's format (refused with a reason otherwise), the language the customer speaks,
both shown to agents; the number callbacks come from in the company document; and when
a closed queue opens again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from app.backend import slots
from app.backend.crud import queues
from app.backend.db import Database
from tests.backend.support import PHONE, applied, free_slots, rejected, request
from tests.support import Company, mutation, push

Headers = dict[str, str]
Client = httpx.AsyncClient


async def test_the_company_document_names_the_reference_and_the_caller(client: Client) -> None:
    page = (await client.get("/v1/status")).json()["page"]
    assert page["caller_number"] == "+18005550100"
    assert page["booking_ref"] == {
        "label": {"en": "Booking reference", "es": "Código de reserva"},
        "pattern": "^[A-Z0-9]{6}$",
        "example": "K7Q2XM",
    }


async def test_a_callback_carries_reference_and_language_to_agents(
    client: Client, alice: Headers, operator: Headers, company: Company
) -> None:
    [slot, *_] = await free_slots(client)
    booked = applied(
        await request(
            client, alice, slot_start=slot["start"], booking_ref="k7q2xm", language="es-MX"
        )
    )
    assert (booked["booking_ref"], booked["language"]) == ("K7Q2XM", "es-MX")
    listed = await client.get("/v1/admin/callbacks", params={"queue": "help"}, headers=operator)
    [seen] = listed.json()["items"]
    assert (seen["booking_ref"], seen["language"]) == ("K7Q2XM", "es-MX")


async def test_a_reference_in_another_format_is_refused_with_a_reason(
    client: Client, alice: Headers, company: Company
) -> None:
    [slot, *_] = await free_slots(client)
    refusal = rejected(
        await request(client, alice, slot_start=slot["start"], booking_ref="K7Q-2"),
        "invalid_booking_ref",
    )
    assert "format" in refusal["detail"]
    rejected(await request(client, alice, slot_start=slot["start"], language="Spanish"), "invalid")
    [case] = await push(
        client,
        alice,
        mutation("case.open", subject="Trip", description="Help", booking_ref="12345"),
    )
    rejected(case, "invalid_booking_ref")
    # Nothing was booked or opened by the refused changes.
    assert (await client.get("/v1/callbacks", headers=alice)).json()["items"] == []
    assert (await client.get("/v1/cases", headers=alice)).json()["items"] == []


async def test_a_case_carries_the_reference_to_agents(
    client: Client, alice: Headers, operator: Headers, company: Company
) -> None:
    [result] = await push(
        client,
        alice,
        mutation("case.open", subject="My trip", description="Rebook me", booking_ref="K7Q2XM"),
    )
    assert (result["status"], result["entity"]["data"]["booking_ref"]) == ("applied", "K7Q2XM")
    [seen] = (await client.get("/v1/admin/cases", headers=operator)).json()["items"]
    assert seen["booking_ref"] == "K7Q2XM"


async def test_a_closed_queue_says_when_it_opens(
    client: Client, db: Database, company: Company
) -> None:
    zone = slots.zone("America/Chicago")
    opens_day = datetime.now(zone).date() + timedelta(days=2)
    with db.write() as conn:
        queues.set_hours(
            conn,
            queue_id="help",
            hours={slots.WEEKDAYS[opens_day.weekday()]: [["08:00", "12:00"]]},
        )
        start = slots.local_to_utc(opens_day, "00:00", zone)
        queues.set_staffing(
            conn, queue_id="help", starts_at=start, ends_at=start + timedelta(days=1), agents=1
        )
    found: dict[str, Any] = (
        await client.get("/v1/callbacks/availability", params={"queue": "help"})
    ).json()
    assert found["asap"]["available"] is False
    opens = datetime.fromisoformat(found["asap"]["opens_at"])
    assert opens == slots.local_to_utc(opens_day, "08:00", zone)
    assert opens > datetime.now(UTC)


async def test_asap_request_while_closed_is_refused_with_free_times(
    client: Client, alice: Headers, db: Database, company: Company
) -> None:
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    with db.write() as conn:
        queues.set_hours(
            conn, queue_id="help", hours={slots.WEEKDAYS[tomorrow.weekday()]: [["10:00", "11:00"]]}
        )
    result = await request(client, alice, mode="asap", phone=PHONE)
    rejected(result, "queue_closed")
