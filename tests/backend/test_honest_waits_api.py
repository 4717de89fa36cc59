"""The honest ASAP wait through the hub (GET /v1/callbacks/availability) on a real database
(SQLite and PostgreSQL): booked slot calls holding the agent, the no-answer rate measured
from finished calls, and a wait that may run past closing offering the next opening's
slots first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from app.backend.db import Database
from app.backend.db.tables import callbacks
from app.backend.slots import WEEKDAYS
from app.backend.util import format_time
from tests.backend.support import Client, Headers, applied, availability, request, ts
from tests.support import Company, sign_in

CHICAGO = ZoneInfo("America/Chicago")  # the seeded queue's zone


async def waiting(client: Client, db: Database, n: int, prefix: str) -> None:
    for i in range(n):
        customer = await sign_in(client, db, f"{prefix}{i}@example.com")
        applied(await request(client, customer, mode="asap"))


async def test_booked_slot_calls_hold_the_agent_and_push_the_wait_on(
    client: Client, db: Database, company: Company
) -> None:
    await waiting(client, db, 8, "asap")
    before = (await availability(client))["asap"]
    assert before["wait_minutes"] == 90, "nine 10-minute calls, one agent"
    assert before["low_minutes"] < 90 < before["high_minutes"]
    # The first bookable slot (within the next hour) booked full: the agent is on those
    # three calls for its whole half hour.
    first = (await availability(client, limit=1))["slots"][0]
    for i in range(3):
        customer = await sign_in(client, db, f"slot{i}@example.com")
        applied(await request(client, customer, slot_start=first["start"]))
    after = (await availability(client))["asap"]
    assert after["wait_minutes"] == 120
    assert after["high_minutes"] > before["high_minutes"]
    assert after["slots_first"] is True, "a free slot comes before the late end"


def finished(db: Database, status: str, n: int, when: datetime) -> None:
    stamp = format_time(when)
    with db.write() as conn:
        for i in range(n):
            conn.execute(
                insert(callbacks).values(
                    id=f"cb_{status}_{stamp[:10]}_{i}",
                    customer_id="cus_history",
                    queue_id="help",
                    mode="asap",
                    status=status,
                    phone="+13125550100",
                    version=2,
                    created_at=stamp,
                    updated_at=stamp,
                )
            )


async def test_the_no_answer_rate_of_the_last_week_shortens_the_wait(
    client: Client, db: Database, company: Company
) -> None:
    assert (await availability(client))["asap"]["wait_minutes"] == 10
    recent = datetime.now(UTC) - timedelta(days=2)
    finished(db, "missed", 15, recent)
    finished(db, "completed", 15, recent)
    finished(db, "completed", 10, datetime.now(UTC) - timedelta(days=9))  # too old to count
    # Half the calls unanswered: 0.5 x 10 + 0.5 x 3 = 6.5 minutes a call.
    assert (await availability(client))["asap"]["wait_minutes"] == 7


async def closing_in(client: Client, operator: Headers, minutes: int) -> datetime:
    """Today (local) open until `minutes` from now, every other day 08:00-12:00; returns
    the closing time."""
    here = datetime.now(CHICAGO)
    closes = (here + timedelta(minutes=minutes)).replace(second=0, microsecond=0)
    clock = closes.strftime("%H:%M") if closes.date() == here.date() else "24:00"
    hours = {day: [["08:00", "12:00"]] for day in WEEKDAYS}
    hours[WEEKDAYS[here.weekday()]] = [["00:00", clock]]
    url = "/v1/admin/queues/help/hours"
    answer = await client.put(url, json={"hours": hours}, headers=operator)
    assert answer.status_code == 204, answer.text
    if clock == "24:00":
        return datetime.combine(here.date() + timedelta(days=1), datetime.min.time(), CHICAGO)
    return closes


async def test_a_wait_past_closing_says_so_and_offers_the_next_opening_first(
    client: Client, db: Database, company: Company, operator: Headers
) -> None:
    closes = await closing_in(client, operator, 20)
    await waiting(client, db, 2, "late")
    found = await availability(client)
    asap = found["asap"]
    assert asap["available"] is True
    assert ts(asap["closes_at"]) == closes
    assert asap["past_closing"] is True
    assert asap["slots_first"] is True
    assert asap["wait_minutes"] > 8 * 60, "30 minutes of calls: the last of them tomorrow"
    # Closing today: tomorrow's 08:00; closing at midnight: that day's.
    local_close = closes.astimezone(CHICAGO)
    midnight = local_close.time() == datetime.min.time()
    day = local_close.date() + timedelta(days=0 if midnight else 1)
    opening = datetime.combine(day, datetime.min.time(), CHICAGO).replace(hour=8)
    assert ts(asap["next_opening"]) == opening
    assert ts(found["slots"][0]["start"]) == opening, "the next opening's first slot"
