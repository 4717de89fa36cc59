"""The honest ASAP wait through the hub (GET /v1/callbacks/availability) on a real database
(SQLite and PostgreSQL): booked slot calls holding the agent, the no-answer rate measured
from finished calls, and a wait that may run past closing offering the next opening's
slots first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from app.backend.db import Database
from app.backend.db.tables import callbacks
from app.backend.util import format_time
from tests.backend.slots_support import closing_soon
from tests.backend.support import Client, Headers, applied, availability, request, ts
from tests.support import Company, sign_in


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


async def test_a_wait_past_closing_says_so_and_offers_the_next_opening_first(
    client: Client, db: Database, company: Company, operator: Headers
) -> None:
    hours, closes, opening = closing_soon(20)
    answer = await client.put(
        "/v1/admin/queues/help/hours", json={"hours": hours}, headers=operator
    )
    assert answer.status_code == 204, answer.text
    await waiting(client, db, 2, "late")
    found = await availability(client)
    asap = found["asap"]
    assert asap["available"] is True
    assert ts(asap["closes_at"]) == closes
    assert asap["past_closing"] is True
    assert asap["slots_first"] is True
    assert asap["wait_minutes"] > 8 * 60, "30 minutes of calls: the last of them tomorrow"
    assert ts(asap["next_opening"]) == opening
    assert ts(found["slots"][0]["start"]) == opening, "the next opening's first slot"
