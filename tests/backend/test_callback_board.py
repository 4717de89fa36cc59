"""The operators' callback board (GET /v1/admin/callbacks/board) and a queue's staffing and
hours as set (GET /v1/admin/queues/{id}/staffing, /hours): real bookings through the
customers' API, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from app.backend.db import Database
from tests.backend.support import Headers, Json, applied, availability, free_slots, request, ts
from tests.support import (
    ALWAYS_OPEN,
    Company,
    assert_problem,
    operator_headers,
    seed_company,
    sign_in,
)

CHICAGO = ZoneInfo("America/Chicago")  # the company's time zone (HubSettings' default)


async def board(client: httpx.AsyncClient, operator: Headers, **params: str) -> Json:
    response = await client.get("/v1/admin/callbacks/board", params=params, headers=operator)
    assert response.status_code == 200, response.text
    [queue] = response.json()["queues"]
    assert queue["queue_id"] == "help"
    return dict(queue, day=response.json()["day"])


async def staff(client: httpx.AsyncClient, operator: Headers, agents: int) -> None:
    start = datetime.now(CHICAGO).replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)
    body = {
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(days=2)).isoformat(),
        "agents": agents,
    }
    answer = await client.put("/v1/admin/queues/help/staffing", json=body, headers=operator)
    assert answer.status_code == 204, answer.text


async def test_waiting_callbacks_carry_the_wait_their_customers_were_shown(
    client: httpx.AsyncClient, db: Database, company: Company, operator: Headers
) -> None:
    await staff(client, operator, agents=2)
    shown, booked = [], []
    for n in range(3):
        customer = await sign_in(client, db, f"waiting{n}@example.com")
        shown.append((await availability(client))["asap"]["wait_minutes"])
        booked.append(applied(await request(client, customer, mode="asap")))
    assert shown == [5, 10, 15]  # 10-minute calls shared by two agents

    found = await board(client, operator)
    waiting = found["waiting"]
    assert [w["id"] for w in waiting] == [b["id"] for b in booked], "oldest first"
    assert [w["estimate_minutes"] for w in waiting] == shown
    assert [w["customer_email"] for w in waiting] == [f"waiting{n}@example.com" for n in range(3)]
    assert {w["phone"] for w in waiting} == {booked[0]["phone"]}

    # The first is called back: the others move up, as their customers see it too.
    done = await client.put(
        f"/v1/admin/callbacks/{booked[0]['id']}/status",
        json={"status": "completed"},
        headers=operator,
    )
    assert done.status_code == 200, done.text
    after = await board(client, operator)
    assert [w["estimate_minutes"] for w in after["waiting"]] == shown[:2]
    assert after["outcomes"]["completed"] == 1
    assert after["outcomes"]["requested"] == 2
    assert set(after["outcomes"]) == {"requested", "scheduled", "completed", "cancelled", "missed"}

    # Nobody on duty: the customer is shown no wait, and neither is the operator.
    await staff(client, operator, agents=0)
    assert (await availability(client))["asap"]["available"] is False
    assert [w["estimate_minutes"] for w in (await board(client, operator))["waiting"]] == [
        None,
        None,
    ]


async def test_the_days_slots_show_capacity_against_bookings(
    client: httpx.AsyncClient, db: Database, company: Company, operator: Headers
) -> None:
    slot = (await free_slots(client))[0]
    day = ts(slot["start"]).astimezone(CHICAGO).date().isoformat()
    for n in range(2):
        customer = await sign_in(client, db, f"slot{n}@example.com")
        applied(await request(client, customer, slot_start=slot["start"]))

    found = await board(client, operator, day=day)
    assert found["day"] == day
    assert found["time_zone"] == "America/Chicago"  # the queue's own, which the console shows
    loads = {ts(s["starts_at"]): s for s in found["slots"]}
    assert loads[ts(slot["start"])]["booked"] == 2
    assert loads[ts(slot["start"])]["capacity"] == 3  # one agent, three 10-minute calls
    assert sum(s["booked"] for s in found["slots"]) == 2
    starts = sorted(loads)
    assert all(b - a == timedelta(minutes=30) for a, b in itertools.pairwise(starts))
    # The seeded staffing covers the whole local day only from an hour ago: every slot in
    # it is 30 minutes of one agent.
    assert {s["capacity"] for s in found["slots"]} == {3}
    assert found["outcomes"]["scheduled"] == 2

    # Staffing taken away after the booking: the slot stays on the board, with no room.
    await client.put(
        "/v1/admin/queues/help/staffing",
        json={"starts_at": slot["start"], "ends_at": slot["end"], "agents": 0},
        headers=operator,
    )
    after = {ts(s["starts_at"]): s for s in (await board(client, operator, day=day))["slots"]}
    assert (after[ts(slot["start"])]["capacity"], after[ts(slot["start"])]["booked"]) == (0, 2)


async def test_staffing_and_hours_read_back_what_was_set(
    client: httpx.AsyncClient, company: Company, operator: Headers
) -> None:
    today = datetime.now(CHICAGO).date()
    morning = datetime.combine(today + timedelta(days=1), datetime.min.time(), CHICAGO)
    shift = {
        "starts_at": (morning + timedelta(hours=9)).isoformat(),
        "ends_at": (morning + timedelta(hours=12)).isoformat(),
        "agents": 4,
    }
    put = await client.put("/v1/admin/queues/help/staffing", json=shift, headers=operator)
    assert put.status_code == 204, put.text
    day = (today + timedelta(days=1)).isoformat()
    found = await client.get(
        "/v1/admin/queues/help/staffing", params={"day": day}, headers=operator
    )
    assert found.status_code == 200, found.text
    intervals = found.json()
    set_shift = (morning + timedelta(hours=9), morning + timedelta(hours=12), 4)
    assert set_shift in [(ts(i["starts_at"]), ts(i["ends_at"]), i["agents"]) for i in intervals]
    assert [ts(i["starts_at"]) for i in intervals] == sorted(ts(i["starts_at"]) for i in intervals)
    far = await client.get(
        "/v1/admin/queues/help/staffing",
        params={"day": (today + timedelta(days=30)).isoformat()},
        headers=operator,
    )
    assert far.json() == []

    hours = {"mon": [["09:00", "17:00"]], "sat": [["10:00", "12:00"], ["13:00", "15:00"]]}
    set_hours = await client.put(
        "/v1/admin/queues/help/hours", json={"hours": hours}, headers=operator
    )
    assert set_hours.status_code == 204, set_hours.text
    read = await client.get("/v1/admin/queues/help/hours", headers=operator)
    assert read.json() == {"hours": hours}
    await client.put("/v1/admin/queues/help/hours", json={"hours": ALWAYS_OPEN}, headers=operator)


async def test_bad_days_and_unknown_queues_are_refused(
    client: httpx.AsyncClient, db: Database, company: Company, operator: Headers
) -> None:
    for day in ("tomorrow", "2026-02-30", "9999-12-31", "0001-01-01", ""):
        for path in ("/v1/admin/callbacks/board", "/v1/admin/queues/help/staffing"):
            answer = await client.get(path, params={"day": day}, headers=operator)
            assert_problem(answer, 422)
    for path in ("/v1/admin/queues/nope/staffing", "/v1/admin/queues/nope/hours"):
        assert_problem(await client.get(path, headers=operator), 404)
    assert_problem(await client.get("/v1/admin/queues/" + "q" * 101 + "/hours", headers=operator))
    no_callbacks = operator_headers(db, "cases", "kb", "status")
    for path in (
        "/v1/admin/callbacks/board",
        "/v1/admin/queues/help/staffing",
        "/v1/admin/queues/help/hours",
    ):
        assert_problem(await client.get(path, headers=no_callbacks), 403)


async def test_a_queue_carries_its_own_time_zone(
    client: httpx.AsyncClient, db: Database, operator: Headers
) -> None:
    seed_company(db, time_zone="Europe/Madrid")
    response = await client.get("/v1/admin/callbacks/board", headers=operator)
    assert response.status_code == 200, response.text
    assert response.json()["time_zone"] == "America/Chicago"  # the company's: the day's
    [queue] = response.json()["queues"]
    assert queue["time_zone"] == "Europe/Madrid"  # the queue's: its times
