"""The contact forecast on the Charts screen, its state against a real hub (in process,
on SQLite and PostgreSQL) with the demo company and its weeks of history: per queue the
expected contacts beside those that came today, agents planned beside needed with the
short spans listed in the queue's zone, the target and the storm that raises it; another
queue chosen; the hub's refusals shown with its reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import insert

from app.backend.crud import auth, staff
from app.backend.db import Database
from app.backend.db.tables import callbacks
from app.backend.demo import load_demo
from app.backend.util import format_time, new_id, now
from app.console import supervisor_api as api
from app.console.client import ConsoleClient
from app.console.sessions import BrowserSessions
from app.console.state.console import ConsoleState
from app.console.state.forecast import ForecastState, Gap, gaps
from app.console.views.forecast_card import gap_text
from app.console.views.sign_in import failure_text
from app.schemas.admin import StaffingIn
from app.schemas.forecast import Contacts, ForecastInterval

CHICAGO = "America/Chicago"


def console_for(hub_app: Any, db: Database, who: str, *scopes: str) -> ConsoleState:
    """A console signed in as the demo's member of staff `who` (a real staff session), or,
    given `scopes`, holding an operator token with only those."""
    settings = hub_app.state.hub.settings
    with db.write() as conn:
        member = staff.find_member(conn, email=f"{who}@northwind.example")
        assert member is not None
        session = staff.issue_session(conn, member=member, settings=settings)
        token = (
            auth.create_operator_token(conn, scopes=list(scopes), label="desk")
            if scopes
            else session.token
        )
    client = ConsoleClient("http://hub.test", transport=httpx.ASGITransport(app=hub_app))
    console = ConsoleState(client.for_token(lambda: token), BrowserSessions(), "k")
    console.session.staff = session.staff
    return console


@pytest.fixture
def demo(db: Database) -> None:
    """The demo company (its storm is on), and three callbacks asked for just now."""
    with db.write() as conn:
        load_demo(conn)
        moment = format_time(now())
        rows = [
            {
                "id": new_id("cb"),
                "customer_id": "cust_now",
                "queue_id": "rebooking",
                "mode": "asap",
                "status": "completed",
                "phone": "+15555550100",
                "version": 1,
                "created_at": moment,
                "updated_at": moment,
            }
            for _ in range(3)
        ]
        conn.execute(insert(callbacks), rows)


async def test_forecast_per_queue_beside_today_with_the_gaps(
    hub_app: Any, db: Database, demo: None
) -> None:
    console = console_for(hub_app, db, "supervisor")
    forecast = console.screen(ForecastState)
    assert forecast.allowed
    await forecast.load()
    assert forecast.error is None
    assert [f.queue for f in forecast.forecasts] == ["rebooking", "general"]
    assert forecast.queue_id == "rebooking" and forecast.zone.key == CHICAGO
    # The demo company is in Chicago too: the zone is the company's (the board's rule).
    assert forecast.name("rebooking") == "Rebooking and disruptions"
    assert forecast.other_zone() is None
    current = forecast.current
    assert current is not None

    contacts = forecast.contacts()
    assert contacts.series == ["expected", "came"]
    assert len(contacts.hours) == len(current.intervals) >= 48
    coming = [
        row[0] for row, i in zip(contacts.values, current.intervals, strict=True) if not i.actual
    ]
    assert coming and all(v > 0 for v in coming), "history and the storm"
    started = [
        row[1] for row, i in zip(contacts.values, current.intervals, strict=True) if i.actual
    ]
    assert started and started[-1] >= 3, "the callbacks asked for just now came"
    assert contacts.top >= max(v for row in contacts.values for v in row)

    ahead = forecast.ahead()
    assert 48 <= len(ahead) <= 49 and ahead[0].start <= current.generated_at < ahead[0].end
    staffing = forecast.staffing()
    assert staffing.series == ["planned", "needed"] and len(staffing.hours) == len(ahead)

    # Nobody planned for two hours from the next half hour on: those are short.
    empty = StaffingIn(starts_at=ahead[1].start, ends_at=ahead[5].start, agents=0)
    await api.set_staffing(console.client, "rebooking", empty)
    await forecast.load()
    ahead = forecast.ahead()
    assert [i.planned_agents for i in ahead[1:5]] == [0] * 4
    assert all(i.gap == i.needed_agents > 0 for i in ahead[1:5])
    short = forecast.gaps()
    assert short and short[0].start <= ahead[1].start and ahead[5].start <= short[-1].end
    assert sum((g.end - g.start for g in short), timedelta()) == timedelta(
        minutes=30 * sum(1 for i in ahead if i.gap > 0)
    )
    assert all(g.short > 0 for g in short)
    [storm] = current.active_incidents
    assert storm.impact == "critical" and storm.touched > 0
    assert (current.target_share, current.target_minutes) == (0.8, 20)

    await forecast.choose("general")
    assert forecast.error is None and forecast.current is not None
    assert forecast.current.queue == "general"
    assert forecast.other_zone() == "America/New_York"


async def test_refusals_are_shown_with_the_hubs_reason(
    hub_app: Any, db: Database, demo: None
) -> None:
    forecast = console_for(hub_app, db, "supervisor").screen(ForecastState)
    await forecast.load()
    await forecast.choose("nope")
    assert forecast.error is not None and forecast.error.code == "not_found"
    [shown] = failure_text("en", forecast.error)
    assert "(No callback queue with that id.)" in str(getattr(shown, "value", ""))
    assert [f.queue for f in forecast.forecasts] == ["rebooking", "general"], "kept"
    assert forecast.queue_id == "rebooking", "the queue shown stays chosen"

    # A token without the scope the staff member's role claims: the hub says no.
    refused = console_for(hub_app, db, "supervisor", "cases").screen(ForecastState)
    await refused.load()
    assert refused.error is not None and refused.error.code == "forbidden"
    assert refused.forecasts == []

    agent = console_for(hub_app, db, "agent").screen(ForecastState)
    assert not agent.allowed
    await agent.load()
    assert agent.error is None and agent.forecasts == []


def interval(start: datetime, planned: int, needed: int) -> ForecastInterval:
    nothing = Contacts(callbacks=0, cases=0, email=0)
    return ForecastInterval(
        start=start,
        end=start + timedelta(minutes=30),
        expected=nothing,
        open=True,
        planned_agents=planned,
        needed_agents=needed,
        gap=needed - planned,
    )


def test_short_half_hours_join_into_spans_in_the_queues_zone() -> None:
    at = datetime(2026, 12, 8, 20, tzinfo=UTC)  # 14:00 in Chicago, a Tuesday
    plan = [(2, 5), (2, 5), (2, 5), (3, 4), (4, 4), (1, 3), (6, 3)]
    found = gaps([interval(at + timedelta(minutes=30 * n), p, x) for n, (p, x) in enumerate(plan)])
    half = timedelta(minutes=30)
    assert found == [
        Gap(at, at + 3 * half, 3),
        Gap(at + 3 * half, at + 4 * half, 1),
        Gap(at + 5 * half, at + 6 * half, 2),
    ]
    chicago = ZoneInfo(CHICAGO)
    assert gap_text("en", found[0], chicago) == "Tue 14:00–15:30 short by 3 agents"
    assert gap_text("en", found[1], chicago) == "Tue 15:30–16:00 short by 1 agent"
    assert gap_text("es", found[0], chicago) == "mar 14:00–15:30: faltan 3 agentes"
