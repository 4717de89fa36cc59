"""Slot capacity from staffing: agents times calls per slot, slots not fully staffed left
out, the fewest agents during a slot deciding, and half-open staffing intervals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest

from app.backend import slots
from app.backend.slots import SlotWindow, StaffingInterval
from tests.backend.slots_support import always_staffed, day_slots, starts, utc

# --- Staffing and capacity ---

HOUR = {"mon": [["09:00", "11:00"]]}  # UTC queue; 2026-03-09 is a Monday
MONDAY = date(2026, 3, 9)


def staffed_day(staffing: Sequence[StaffingInterval], **kwargs: int) -> list[SlotWindow]:
    return day_slots(MONDAY, time_zone="UTC", hours=HOUR, staffing=staffing, **kwargs)


def shift(start: str, end: str, agents: int) -> StaffingInterval:
    return StaffingInterval(utc(f"2026-03-09T{start}"), utc(f"2026-03-09T{end}"), agents)


@pytest.mark.parametrize(
    ("agents", "slot_minutes", "handle_minutes", "capacity"),
    [(1, 30, 10, 3), (2, 30, 10, 6), (3, 30, 7, 12), (1, 15, 15, 1), (4, 60, 20, 12)],
)
def test_capacity_is_agents_times_calls_per_slot(
    agents: int, slot_minutes: int, handle_minutes: int, capacity: int
) -> None:
    found = staffed_day(
        [shift("00:00", "23:59", agents)],
        slot_minutes=slot_minutes,
        handle_minutes=handle_minutes,
    )
    assert len(found) == 120 // slot_minutes
    assert {s.capacity for s in found} == {capacity}


def test_unstaffed_slots_are_left_out() -> None:
    assert staffed_day([]) == []
    assert staffed_day([shift("09:00", "11:00", 0)]) == []
    found = staffed_day([shift("10:00", "11:00", 1)])
    assert starts(found) == [utc("2026-03-09T10:00"), utc("2026-03-09T10:30")]


def test_slots_only_partly_staffed_are_left_out() -> None:
    late_start = staffed_day([shift("09:15", "11:00", 1)])
    assert starts(late_start)[0] == utc("2026-03-09T09:30")
    early_end = staffed_day([shift("09:00", "10:45", 1)])
    assert starts(early_end)[-1] == utc("2026-03-09T10:00")


def test_capacity_follows_the_fewest_agents_during_the_slot() -> None:
    found = staffed_day([shift("09:00", "09:15", 2), shift("09:15", "11:00", 1)])
    assert [s.capacity for s in found] == [3, 3, 3, 3]
    stacked = staffed_day([shift("09:00", "11:00", 1), shift("10:00", "11:00", 2)])
    assert [s.capacity for s in stacked] == [3, 3, 9, 9]


def test_a_staffing_gap_inside_a_slot_leaves_the_slot_out() -> None:
    # On duty at the slot's start and end, but nobody from 09:10 to 09:20.
    found = staffed_day([shift("09:00", "09:10", 1), shift("09:20", "11:00", 1)])
    assert utc("2026-03-09T09:00") not in starts(found)
    assert starts(found)[0] == utc("2026-03-09T09:30")


def test_a_dip_in_staffing_inside_a_slot_lowers_its_capacity() -> None:
    found = staffed_day(
        [shift("09:00", "09:10", 2), shift("09:10", "09:20", 1), shift("09:20", "11:00", 2)]
    )
    assert found[0].start == utc("2026-03-09T09:00")
    assert found[0].capacity == 3, "only one agent is on duty from 09:10 to 09:20"


def test_agents_at_sums_overlapping_intervals_half_open() -> None:
    staffing = [shift("09:00", "10:00", 1), shift("09:30", "10:30", 2)]
    assert slots.agents_at(staffing, utc("2026-03-09T08:59")) == 0
    assert slots.agents_at(staffing, utc("2026-03-09T09:00")) == 1
    assert slots.agents_at(staffing, utc("2026-03-09T09:45")) == 3
    assert slots.agents_at(staffing, utc("2026-03-09T10:00")) == 2
    assert slots.agents_at(staffing, utc("2026-03-09T10:30")) == 0


def test_window_bounds_are_start_inclusive_end_exclusive() -> None:
    found = slots.slot_windows(
        hours=HOUR,
        time_zone="UTC",
        slot_minutes=30,
        handle_minutes=10,
        staffing=always_staffed(),
        start=utc("2026-03-09T09:30"),
        end=utc("2026-03-09T10:30"),
    )
    assert starts(found) == [utc("2026-03-09T09:30"), utc("2026-03-09T10:00")]
