"""The contact forecast on a real hub database (SQLite and PostgreSQL): the operator API
(`GET /v1/admin/forecast`, behind the callbacks scope, like the demand chart) and the
CLI (`forecast [--queue Q] [--json]`) on the demo company."""

from __future__ import annotations

import itertools
import json
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import insert

from app.backend.db import Database
from app.backend.db.tables import callbacks
from app.backend.forecasting.baseline import interval_start
from app.backend.slots import zone
from app.backend.util import format_time, new_id, now
from tests.backend.support import Headers, Run
from tests.support import Company, assert_problem, operator_headers


def asked(db: Database, queue_id: str, *moments: Any) -> None:
    """Callbacks asked for in the queue at `moments` (done with, as history is)."""
    rows = [
        {
            "id": new_id("cb"),
            "customer_id": "cust_history",
            "queue_id": queue_id,
            "mode": "asap",
            "status": "completed",
            "phone": "+15555550100",
            "version": 1,
            "created_at": format_time(m),
            "updated_at": format_time(m),
        }
        for m in moments
    ]
    with db.write() as conn:
        conn.execute(insert(callbacks), rows)


async def test_forecast_learns_the_week_and_sets_it_beside_today(
    client: httpx.AsyncClient, db: Database, company: Company, operator: Headers
) -> None:
    current = interval_start(now(), zone("America/Chicago"))
    week_ago = current - timedelta(days=7)
    asked(db, company.queue_id, *[week_ago + timedelta(seconds=n) for n in range(3)])
    asked(db, company.queue_id, current, current)

    answer = await client.get("/v1/admin/forecast", params={"queue": "help"}, headers=operator)
    assert answer.status_code == 200, answer.text
    [queue] = answer.json()
    assert queue["queue"] == "help" and queue["time_zone"] == "America/Chicago"
    assert (queue["target_share"], queue["target_minutes"]) == (0.8, 20)
    assert queue["history_weeks"] == 1
    by_start = {i["start"]: i for i in queue["intervals"]}
    this = by_start[format_time(current)]
    assert this["expected"] == {"callbacks": 3, "cases": 0, "email": 0}
    assert this["actual"] == {"callbacks": 2, "cases": 0, "email": 0}
    # One agent on duty; 3 callbacks of 10 minutes in half an hour need 2 for 80% in 20 min.
    assert (this["planned_agents"], this["needed_agents"], this["gap"]) == (1, 2, 1)
    later = queue["intervals"][-1]
    assert later["actual"] is None and later["expected"]["callbacks"] == 0
    assert {r["impact"] for r in queue["rates"] if not r["learned"]} >= {"critical"}

    every = await client.get("/v1/admin/forecast", headers=operator)
    assert [q["queue"] for q in every.json()] == ["help"]
    missing = await client.get("/v1/admin/forecast", params={"queue": "nope"}, headers=operator)
    assert_problem(missing, 404)


async def test_forecast_needs_the_callbacks_scope(
    client: httpx.AsyncClient, db: Database, company: Company
) -> None:
    assert_problem(await client.get("/v1/admin/forecast"), 401)
    without = operator_headers(db, "cases", "kb", "status")
    assert_problem(await client.get("/v1/admin/forecast", headers=without), 403)
    allowed = operator_headers(db, "callbacks")
    assert (await client.get("/v1/admin/forecast", headers=allowed)).status_code == 200


def test_cli_shows_the_demo_forecast(run: Run) -> None:
    code, _ = run("demo load")
    assert code == 0
    code, out = run("forecast", "--queue", "rebooking")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].startswith("rebooking (America/Chicago; target 80% within 20 min;")
    assert "Winter storm at Chicago O'Hare" in out and "following)" in out
    header = next(n for n, line in enumerate(lines) if line.startswith("interval"))
    assert lines[header].split() == [
        "interval",
        "callbacks",
        "cases",
        "email",
        "planned",
        "needed",
        "gap",
    ]
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    rows = list(itertools.takewhile(lambda line: line[:3] in days, lines[header + 1 :]))
    assert 48 <= len(rows) <= 49
    assert all(float(row.split()[2]) > 0 for row in rows), "history and the storm"

    code, out = run("forecast", "--json")
    assert code == 0
    found = json.loads(out)
    assert [q["queue"] for q in found] == ["rebooking", "general"]
    rebooking = found[0]
    assert rebooking["history_weeks"] == 3
    [storm] = rebooking["active_incidents"]
    assert storm["impact"] == "critical" and storm["touched"] > 0
    learned = {(r["stream"], r["impact"]) for r in rebooking["rates"] if r["learned"]}
    assert ("callbacks", "minor") in learned, "the demo's past incidents taught a rate"
    assert any(i["actual"] is not None for i in rebooking["intervals"])

    hostile = "\x1b[2J\x1b]0;pwned\x07Snow \u202eevil"
    code, out = run(
        "incident publish",
        "--title",
        hostile,
        "--impact",
        "major",
        "--component",
        "flights-ord",
        "--body",
        "Snow.",
        "--key",
        "ORD",
    )
    assert code == 0, out
    code, out = run("forecast", "--queue", "rebooking")
    assert "pwned Snow evil (major, " in out
    assert "\x1b" not in out and "\u202e" not in out

    code, out = run("forecast", "--queue", "nope")
    assert code == 2 and "error:" in out
