"""The honest ASAP wait, pure (app/backend/waits.py): its range, agents held by booked
calls, the no-answer rate, closing time, and a closing across a daylight-saving change."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import pytest

from app.backend import slots, waits
from app.backend.slots import OpeningHours, StaffingInterval
from tests.backend.slots_support import ALL_DAY, CHICAGO, LONDON, MORNINGS, always_staffed, utc


def wait(
    ahead: int,
    at: datetime,
    *,
    hours: OpeningHours = ALL_DAY,
    time_zone: str = CHICAGO,
    staffing: list[StaffingInterval] | None = None,
    booked: dict[datetime, int] | None = None,
    rate: float = 0.0,
) -> waits.Wait:
    end = at + timedelta(days=8)
    pieces = waits.capacity(
        hours=hours,
        time_zone=time_zone,
        staffing=always_staffed() if staffing is None else staffing,
        booked=booked or {},
        slot_minutes=30,
        handle_minutes=10,
        start=at,
        end=end,
    )
    found = waits.estimate(
        ahead=ahead,
        work_each=waits.work_per_call(10, rate),
        pieces=pieces,
        at=at,
        closes_at=waits.closes_at(hours, time_zone, at, end) or end,
    )
    assert found is not None
    return found


NOON = utc("2026-03-11T17:00")  # a Wednesday, 12:00 in Chicago


@pytest.mark.parametrize("ahead", [0, 1, 3, 10, 40, 200])
def test_range_holds_the_mean_and_grows_with_the_calls_ahead(ahead: int) -> None:
    found = wait(ahead, NOON)
    after = wait(ahead + 1, NOON)
    assert 1 <= found.low <= found.minutes <= found.high
    assert found.low < found.high
    assert (after.low, after.minutes, after.high) >= (found.low, found.minutes, found.high)
    assert found.past_closing is False


@pytest.mark.parametrize(("ahead", "agents"), [(0, 1), (4, 2), (29, 3), (100, 7)])
def test_without_bookings_or_no_answers_the_mean_is_todays_figure(ahead: int, agents: int) -> None:
    found = wait(ahead, NOON, staffing=always_staffed(agents))
    assert found.minutes == slots.asap_wait_minutes(waiting=ahead, agents=agents, handle_minutes=10)


def test_erlang_quantiles_match_the_exponential_and_the_normal() -> None:
    # One call: an exponential, whose q-quantile is -ln(1 - q).
    assert waits.erlang_quantile(1, 10, 0.9) == pytest.approx(10 * -math.log(0.1), rel=0.02)
    # Many calls: nearly normal around the mean, with sd sqrt(n) * mean_each.
    assert waits.erlang_quantile(400, 1, 0.9) == pytest.approx(400 + 1.2816 * 20, rel=0.005)
    assert waits.erlang_quantile(400, 1, 0.1) == pytest.approx(400 - 1.2816 * 20, rel=0.005)


def test_agents_busy_with_booked_calls_are_not_free() -> None:
    free = wait(5, NOON)  # 60 minutes of calls for one agent
    # The next slot (12:00-12:30 local) fully booked: three 10-minute calls hold the agent.
    held = wait(5, NOON, booked={NOON: 3})
    assert held.minutes == free.minutes + 30
    # One booking holds a third of it.
    assert wait(5, NOON, booked={NOON: 1}).minutes == free.minutes + 10
    # Bookings past the wait do not change it.
    assert wait(5, NOON, booked={NOON + timedelta(hours=5): 3}) == free


def test_booked_calls_are_made_first_once_their_slot_begins() -> None:
    # Two agents, three booked 10-minute calls: both agents on them, then one.
    ten = timedelta(minutes=10)
    held = waits.held_by_bookings(always_staffed(2), {NOON: 3}, 30, 10)
    assert held == [(NOON, NOON + ten, 2), (NOON + ten, NOON + 2 * ten, 1)]
    # More calls than the slot holds: only the slot's time is held.
    assert waits.held_by_bookings(always_staffed(1), {NOON: 5}, 30, 10)[-1][1] == NOON + 3 * ten


def test_shifts_ending_and_starting_are_walked() -> None:
    shifts = [
        StaffingInterval(NOON - timedelta(hours=1), NOON + timedelta(minutes=30), 2),
        StaffingInterval(NOON + timedelta(minutes=30), NOON + timedelta(hours=9), 1),
    ]
    # 10 calls of 10 minutes: 60 agent-minutes in the first half hour, then one agent.
    assert wait(9, NOON, staffing=shifts).minutes == 30 + 40


def test_no_answer_rate_is_measured_and_shortens_the_wait() -> None:
    assert waits.no_answer_rate(missed=5, completed=10) == 0.0, "too few calls to tell"
    assert waits.no_answer_rate(missed=10, completed=30) == 0.25
    assert waits.work_per_call(10, 0.25) == pytest.approx(0.75 * 10 + 0.25 * 3)
    assert waits.work_per_call(2, 0.5) == 2, "a no-answer never takes longer than a talk"
    answered, some_missed = wait(20, NOON), wait(20, NOON, rate=0.25)
    assert some_missed.minutes < answered.minutes
    assert some_missed.minutes == math.ceil(21 * (0.75 * 10 + 0.25 * 3))


def test_a_wait_past_closing_says_so_and_carries_on_next_opening() -> None:
    at = utc("2026-03-11T16:30")  # 11:30 in Chicago: mornings close at 12:00
    short = wait(0, at, hours=MORNINGS)
    assert (short.minutes, short.high, short.past_closing) == (10, 25, False)
    # Its late end is what counts: "may run past closing".
    assert wait(1, at, hours=MORNINGS).past_closing is True
    long = wait(3, at, hours=MORNINGS)  # 40 minutes of calls, 30 minutes left today
    assert long.past_closing is True
    # 30 minutes today, then 10 from 08:00 tomorrow: 20 h 40 min from now.
    assert long.minutes == 20 * 60 + 40
    assert long.low <= long.minutes <= long.high
    assert waits.closes_at(MORNINGS, CHICAGO, at, at + timedelta(days=8)) == utc("2026-03-11T17:00")


def test_open_around_the_clock_never_closes() -> None:
    assert waits.closes_at(ALL_DAY, CHICAGO, NOON, NOON + timedelta(days=8)) is None


def test_a_wait_across_the_spring_change_counts_real_hours() -> None:
    # Saturday 2026-03-07 11:50 CST; Chicago springs forward that night, so Sunday's
    # 08:00 is 13:00 UTC, not 14:00.
    at = utc("2026-03-07T17:50")
    found = wait(2, at, hours=MORNINGS)
    assert found.past_closing is True
    assert at + timedelta(minutes=found.minutes) == utc("2026-03-08T13:20")
    assert found.minutes == 19 * 60 + 30


def test_a_wait_across_the_london_autumn_change_counts_real_hours() -> None:
    # Saturday 2026-10-24 11:50 BST; London falls back that night: Sunday 08:00 is 08:00 UTC.
    at = utc("2026-10-24T10:50")
    found = wait(2, at, hours=MORNINGS, time_zone=LONDON)
    assert at + timedelta(minutes=found.minutes) == utc("2026-10-25T08:20")
    assert found.minutes == 21 * 60 + 30


def test_slots_come_first_past_closing_or_when_a_slot_beats_a_long_early_end() -> None:
    assert waits.slots_first(True, 30, None, NOON) is True
    assert waits.slots_first(False, None, None, NOON) is True, "no estimate at all"
    assert waits.slots_first(False, 90, NOON + timedelta(minutes=30), NOON) is True
    assert waits.slots_first(False, 90, NOON + timedelta(minutes=120), NOON) is False
    assert waits.slots_first(False, 90, None, NOON) is False
    # A short wait is no overload, even with a slot about to start.
    assert waits.slots_first(False, 20, NOON + timedelta(minutes=1), NOON) is False
