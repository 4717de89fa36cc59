"""The forecast's arithmetic on synthetic histories with known answers: the baseline by
half hour of the week, what incidents add (learned and default), staffing advice, and
weeks in which the clocks change in the queue's time zone."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.backend.forecasting import baseline, model
from app.backend.forecasting.erlang_c import agents_needed
from app.backend.forecasting.incidents import DEFAULT_RATES, Span
from app.backend.slots import StaffingInterval, local_to_utc
from app.schemas.forecast import ForecastInterval

ZONE = "America/Chicago"
TZ = ZoneInfo(ZONE)
OPEN = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def local(day: date, clock: str, minutes: int = 0) -> datetime:
    return local_to_utc(day, clock, TZ) + timedelta(minutes=minutes)


def plan(staffing: list[StaffingInterval] | None = None) -> model.QueuePlan:
    return model.QueuePlan(
        time_zone=ZONE,
        hours=OPEN,
        staffing=staffing or [],
        handle_minutes=10,
        target_share=0.8,
        target_minutes=20,
    )


def at_local(intervals: list[ForecastInterval], at: datetime) -> dict[str, ForecastInterval]:
    """The forecast intervals from `at` keyed by their local 'Mon 09:00'."""
    return {f"{i.start.astimezone(TZ):%a %H:%M}": i for i in intervals if i.start >= at}


def came(interval: ForecastInterval) -> float:
    assert interval.actual is not None, interval
    return interval.actual.callbacks


def test_baseline_is_the_mean_per_half_hour_of_the_week() -> None:
    # Two weeks from Monday 2026-01-05: Monday 09:00 has 4 then 6 contacts, Tuesday 07:30
    # has 2 each week; nothing else.
    mondays = [date(2026, 1, 5), date(2026, 1, 12)]
    times = [local(mondays[0], "09:00", m) for m in range(4)]
    times += [local(mondays[1], "09:00", m) for m in range(6)]
    times += [local(d + timedelta(days=1), "07:30", m) for d in mondays for m in (1, 2)]
    at = local(date(2026, 1, 19), "08:10")
    outcome = model.forecast(plan(), {"callbacks": times}, [], at=at, weeks=8)
    assert outcome.history_weeks == 2
    ahead = at_local(outcome.intervals, local(date(2026, 1, 19), "08:00"))
    assert ahead["Mon 09:00"].expected.callbacks == 5
    assert ahead["Tue 07:30"].expected.callbacks == 2
    assert ahead["Mon 09:30"].expected.callbacks == 0
    assert ahead["Mon 09:00"].expected.cases == 0
    # Today from local midnight, then the current half hour and 48 more.
    assert outcome.intervals[0].start == local(date(2026, 1, 19), "00:00")
    assert outcome.intervals[-1].start == local(date(2026, 1, 19), "08:00") + timedelta(hours=24)


def test_actuals_sit_beside_the_forecast_for_the_intervals_started() -> None:
    today = date(2026, 1, 19)
    times = [local(today - timedelta(days=7), "03:00", 1), local(today, "03:00", 5)]
    times += [local(today, "03:00", 9), local(today, "07:40")]
    at = local(today, "08:10")
    intervals = model.forecast(plan(), {"callbacks": times}, [], at=at, weeks=8).intervals
    by_start = {i.start: i for i in intervals}
    three = by_start[local(today, "03:00")]
    assert (three.expected.callbacks, came(three)) == (1, 2)
    assert came(by_start[local(today, "07:30")]) == 1
    assert came(by_start[local(today, "08:00")]) == 0, "the current one, so far"
    assert by_start[local(today, "08:30")].actual is None


def test_incident_rate_is_learned_from_contacts_above_the_baseline() -> None:
    """A week of one callback every half hour; a minor incident touching 10 customers ran
    two hours with three a half hour: 8 above the baseline over 20 customer-hours, 0.4."""
    start = local(date(2026, 1, 5), "00:00")
    times = [start + timedelta(minutes=30 * n + 1) for n in range(14 * 48)]
    began = local(date(2026, 1, 14), "10:00")
    times += [began + timedelta(minutes=30 * n + 2) for n in range(4) for _ in range(2)]
    past = Span("minor", began, began + timedelta(hours=2), touched=10)
    now_minor = Span("minor", local(date(2026, 1, 19), "06:00"), None, touched=5)
    storm = Span("critical", local(date(2026, 1, 19), "07:00"), None, touched=100)
    at = local(date(2026, 1, 19), "08:10")
    outcome = model.forecast(plan(), {"callbacks": times}, [past, now_minor, storm], at=at, weeks=8)
    rates = outcome.rates["callbacks"]
    assert rates.per_impact["minor"] == pytest.approx(0.4)
    assert rates.learned == {"minor"}
    assert rates.per_impact["critical"] == DEFAULT_RATES["critical"]
    by_start = {i.start: i for i in outcome.intervals}
    # The baseline left the incident's hours out: still 1.
    assert by_start[local(date(2026, 1, 19), "05:00")].expected.callbacks == 1
    # Minor only: 1 + 0.4 x 5 x 0.5.
    assert by_start[local(date(2026, 1, 19), "06:30")].expected.callbacks == 2
    # Both: + 0.03 x 100 x 0.5.
    assert by_start[local(date(2026, 1, 19), "09:00")].expected.callbacks == 3.5
    # No history of cases at all: the incidents alone, at the default rates.
    alone = (0.002 * 5 + 0.03 * 100) * 0.5
    assert by_start[local(date(2026, 1, 19), "09:00")].expected.cases == pytest.approx(
        alone, abs=0.01
    )


def test_staffing_advice_is_erlang_c_beside_the_plan() -> None:
    today = date(2026, 1, 19)
    times = [local(today - timedelta(days=7), "10:00", n % 30) for n in range(12)]
    shift = StaffingInterval(local(today, "09:00"), local(today, "12:00"), 3)
    at = local(today, "08:10")
    by_start = {
        i.start: i
        for i in model.forecast(plan([shift]), {"callbacks": times}, [], at=at, weeks=8).intervals
    }
    ten = by_start[local(today, "10:00")]
    needed = agents_needed(12, period=30, handle=10, share=0.8, target=20)
    assert (ten.planned_agents, ten.needed_agents, ten.gap) == (3, needed, needed - 3)
    assert needed == 5
    eight = by_start[local(today, "08:30")]
    assert (eight.planned_agents, eight.needed_agents, eight.gap) == (0, 0, 0)


def test_closed_intervals_need_nobody() -> None:
    weekdays = replace(plan(), hours={"mon": [["09:00", "17:00"]]})
    today = date(2026, 1, 19)
    times = [local(today - timedelta(days=7), clock, 1) for clock in ("08:00", "09:00")]
    at = local(today, "07:10")
    outcome = model.forecast(weekdays, {"callbacks": times}, [], at=at, weeks=8)
    by_start = {i.start: i for i in outcome.intervals}
    before, after = by_start[local(today, "08:00")], by_start[local(today, "09:00")]
    assert (before.open, before.needed_agents) == (False, 0)
    assert (after.open, after.needed_agents) == (True, 1)


@pytest.mark.parametrize(
    ("day", "clocks"),
    [(date(2026, 3, 8), {"01:30": 1, "02:00": 0, "03:00": 1}), (date(2026, 11, 1), {"01:00": 2})],
    ids=["spring-forward", "fall-back"],
)
def test_the_day_the_clocks_change(day: date, clocks: dict[str, int]) -> None:
    """Contacts at 09:00 local every day for three weeks before: the baseline follows
    local time across the change, and the intervals walk real half hours (a local
    half hour skipped or seen twice)."""
    times = [local(day - timedelta(days=n), "09:00", 3) for n in range(1, 22)]
    at = local(day, "00:10")
    intervals = model.forecast(plan(), {"callbacks": times}, [], at=at, weeks=8).intervals
    starts = [i.start for i in intervals]
    assert all(b - a == baseline.INTERVAL for a, b in itertools.pairwise(starts))
    labels = Counter(f"{s.astimezone(TZ):%H:%M}" for s in starts if s.astimezone(TZ).date() == day)
    assert {clock: labels[clock] for clock in clocks} == clocks
    nine = [i for i in intervals if f"{i.start.astimezone(TZ):%H:%M}" == "09:00"]
    assert [i.expected.callbacks for i in nine] == [1]
    assert sum(i.expected.callbacks for i in intervals) == 1
