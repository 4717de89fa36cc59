"""Hourly chart series (GET /v1/admin/charts/{contacts,demand,helpfulness}): real cases,
replies, callbacks and votes counted per UTC hour, zero-filled, each chart behind the
scope of what it counts, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from app.backend.db import Database
from app.backend.db.tables import cases
from app.backend.util import format_time
from tests.backend.support import Headers, applied, open_case, request
from tests.support import Company, assert_problem, mutation, operator_headers, push, sign_in


async def chart(client: httpx.AsyncClient, operator: Headers, name: str, **params: Any) -> Any:
    answer = await client.get(f"/v1/admin/charts/{name}", params=params, headers=operator)
    assert answer.status_code == 200, answer.text
    series = answer.json()
    assert series["name"] == name
    return series["points"]


def this_hour() -> datetime:
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


def hours_of(points: list[Any]) -> list[datetime]:
    return [datetime.fromisoformat(p["hour"].replace("Z", "+00:00")) for p in points]


async def test_contacts_count_cases_and_replies_per_hour_by_channel(
    client: httpx.AsyncClient, db: Database, company: Company, alice: Headers, operator: Headers
) -> None:
    first = await open_case(client, alice)
    await open_case(client, alice, subject="Seat")
    [replied] = await push(
        client, alice, mutation("case.reply", case=first["id"], body="Any news?")
    )
    assert replied["status"] == "applied", replied
    await client.post(
        f"/v1/admin/cases/{first['id']}/replies", json={"body": "Soon."}, headers=operator
    )
    # A case that came by mail three hours ago.
    earlier = this_hour() - timedelta(hours=3)
    with db.write() as conn:
        conn.execute(
            update(cases)
            .where(cases.c.subject == "Seat")
            .values(channel="email", created_at=format_time(earlier + timedelta(minutes=5)))
        )

    points = await chart(client, operator, "contacts", hours=5)
    hours = hours_of(points)
    assert hours == [hours[-1] - timedelta(hours=n) for n in range(4, -1, -1)]
    assert hours[-1] in (this_hour(), this_hour() - timedelta(hours=1))
    names = {"opened:app", "replies:app", "opened:email", "replies:email"}
    assert all(set(p["values"]) == names for p in points), "every series in every hour"
    totals = {name: sum(p["values"][name] for p in points) for name in names}
    # The agent's reply is not a contact.
    assert totals == {"opened:app": 1, "replies:app": 1, "opened:email": 1, "replies:email": 0}
    assert points[hours.index(earlier)]["values"]["opened:email"] == 1
    # Outside the window: not counted, and its channel not charted.
    recent = await chart(client, operator, "contacts", hours=2)
    assert all(set(p["values"]) == {"opened:app", "replies:app"} for p in recent)
    assert sum(p["values"]["opened:app"] for p in recent) == 1


async def test_demand_sets_callbacks_requested_against_capacity(
    client: httpx.AsyncClient, db: Database, company: Company, operator: Headers
) -> None:
    for n in range(2):
        customer = await sign_in(client, db, f"demand{n}@example.com")
        applied(await request(client, customer, mode="asap"))
    points = await chart(client, operator, "demand", hours=3)
    assert [set(p["values"]) for p in points] == [{"requested", "capacity"}] * 3
    assert sum(p["values"]["requested"] for p in points) == 2
    assert points[0]["values"]["requested"] == 0
    # Staffed from the hour before the one it was seeded in (seed_company): two 30-minute
    # slots an hour, three calls each for the one agent.
    assert [p["values"]["capacity"] for p in points] in ([0, 6, 6], [6, 6, 6])


async def test_helpfulness_counts_votes_per_hour(
    client: httpx.AsyncClient, company: Company, operator: Headers
) -> None:
    for voter, helpful in (("a", True), ("b", False), ("c", False)):
        body = {"article": "en:lost-bag", "helpful": helpful, "voter": voter * 20}
        assert (await client.post("/v1/kb/feedback", json=body)).status_code == 204
    points = await chart(client, operator, "helpfulness")
    assert len(points) == 48
    assert all(set(p["values"]) == {"helpful", "unhelpful"} for p in points)
    assert sum(p["values"]["helpful"] for p in points) == 1
    assert sum(p["values"]["unhelpful"] for p in points) == 2
    assert points[0]["values"] == {"helpful": 0, "unhelpful": 0}


@pytest.mark.parametrize("hours", ["0", "745", "-1", "many", "1.5"])
async def test_bad_hours_are_refused(
    client: httpx.AsyncClient, company: Company, operator: Headers, hours: str
) -> None:
    answer = await client.get("/v1/admin/charts/demand", params={"hours": hours}, headers=operator)
    assert_problem(answer, 422)


async def test_each_chart_needs_the_scope_of_what_it_counts(
    client: httpx.AsyncClient, db: Database, company: Company
) -> None:
    for name, scope in (("contacts", "cases"), ("demand", "callbacks"), ("helpfulness", "kb")):
        others = [s for s in ("cases", "callbacks", "kb", "status") if s != scope]
        refused = await client.get(
            f"/v1/admin/charts/{name}", headers=operator_headers(db, *others)
        )
        assert_problem(refused, 403)
        allowed = await client.get(f"/v1/admin/charts/{name}", headers=operator_headers(db, scope))
        assert allowed.status_code == 200, allowed.text
    assert_problem(await client.get("/v1/admin/charts/other", headers=operator_headers(db)), 404)
