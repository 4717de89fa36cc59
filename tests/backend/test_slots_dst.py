"""Slot arithmetic across DST changes: local opening hours in America/Chicago and
Europe/London keep their wall clock, 24-hour queues have 46 or 50 slots on change days,
openings inside the gap or at a repeated time, closed days and split days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.backend import slots
from tests.backend.slots_support import (
    ALL_DAY,
    CHICAGO,
    LONDON,
    MORNING_CLOCKS,
    always_staffed,
    assert_contiguous,
    clocks,
    day_slots,
    starts,
    utc,
)

# --- DST in America/Chicago (spring forward 2026-03-08, fall back 2026-11-01) ---


@pytest.mark.parametrize(
    ("day", "nine_local"),
    [
        (date(2026, 3, 7), "2026-03-07T15:00"),  # CST, UTC-6
        (date(2026, 3, 8), "2026-03-08T14:00"),  # CDT from 02:00 that morning
        (date(2026, 3, 9), "2026-03-09T14:00"),  # CDT, UTC-5
        (date(2026, 10, 31), "2026-10-31T14:00"),  # CDT
        (date(2026, 11, 1), "2026-11-01T15:00"),  # CST from 02:00 that morning
        (date(2026, 11, 2), "2026-11-02T15:00"),  # CST
    ],
)
def test_chicago_mornings_keep_their_wall_clock_across_dst(day: date, nine_local: str) -> None:
    found = day_slots(day)
    assert clocks(found, CHICAGO) == MORNING_CLOCKS
    assert_contiguous(found)
    assert found[2].start == utc(nine_local)
    assert found[0].start == utc(nine_local) - timedelta(hours=1)
    assert found[-1].end == utc(nine_local) + timedelta(hours=3)
    assert all(s.capacity == 3 for s in found)


def test_chicago_offsets_before_and_after_spring_forward() -> None:
    saturday, monday = day_slots(date(2026, 3, 7)), day_slots(date(2026, 3, 9))
    assert [s.start.hour for s in saturday[::2]] == [14, 15, 16, 17]
    assert [s.start.hour for s in monday[::2]] == [13, 14, 15, 16]


def test_24h_queue_has_46_slots_on_spring_forward_day() -> None:
    found = day_slots(date(2026, 3, 8), hours=ALL_DAY)
    assert len(found) == 46
    assert_contiguous(found)
    wall = clocks(found, CHICAGO)
    assert wall[:4] == ["00:00", "00:30", "01:00", "01:30"]
    assert wall[4] == "03:00", "02:00-02:59 does not exist that night"
    assert not any(c.startswith("02:") for c in wall)
    assert found[0].start == utc("2026-03-08T06:00")
    assert found[-1].end == utc("2026-03-09T05:00")


def test_24h_queue_has_50_slots_on_fall_back_day() -> None:
    found = day_slots(date(2026, 11, 1), hours=ALL_DAY)
    assert len(found) == 50
    assert_contiguous(found)
    wall = clocks(found, CHICAGO)
    assert wall.count("01:00") == 2
    assert wall.count("01:30") == 2
    assert wall.count("00:30") == 1
    assert wall.count("02:00") == 1
    assert len(set(starts(found))) == 50, "repeated wall times are distinct instants"
    assert found[0].start == utc("2026-11-01T05:00")
    assert found[-1].end == utc("2026-11-02T06:00")


@pytest.mark.parametrize("day", [date(2026, 3, 7), date(2026, 3, 9), date(2026, 11, 2)])
def test_24h_queue_has_48_slots_on_ordinary_days(day: date) -> None:
    assert len(day_slots(day, hours=ALL_DAY)) == 48


def test_24h_queue_across_several_days_has_no_gaps_or_duplicates() -> None:
    found = slots.slot_windows(
        hours=ALL_DAY,
        time_zone=CHICAGO,
        slot_minutes=30,
        handle_minutes=10,
        staffing=always_staffed(),
        start=utc("2026-03-06T00:00"),
        end=utc("2026-03-11T00:00"),
    )
    assert len(found) == 5 * 48
    assert_contiguous(found)


def test_opening_inside_the_spring_forward_gap() -> None:
    sunday = {"sun": [["02:30", "05:00"]]}
    found = day_slots(date(2026, 3, 8), hours=sunday)
    # 02:30 does not exist: it opens at the instant the clock would have shown it.
    assert starts(found) == [
        utc("2026-03-08T08:30"),
        utc("2026-03-08T09:00"),
        utc("2026-03-08T09:30"),
    ]
    assert clocks(found, CHICAGO) == ["03:30", "04:00", "04:30"]
    two = day_slots(date(2026, 3, 8), hours={"sun": [["02:00", "04:00"]]})
    assert clocks(two, CHICAGO) == ["03:00", "03:30"]


def test_opening_at_a_repeated_time_takes_its_first_pass() -> None:
    found = day_slots(date(2026, 11, 1), hours={"sun": [["01:30", "03:00"]]})
    assert found[0].start == utc("2026-11-01T06:30")  # 01:30 CDT
    assert found[-1].end == utc("2026-11-01T09:00")  # 03:00 CST
    assert len(found) == 5
    assert clocks(found, CHICAGO) == ["01:30", "01:00", "01:30", "02:00", "02:30"]


def test_closed_weekdays_have_no_slots() -> None:
    weekdays = {day: [["08:00", "12:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
    assert day_slots(date(2026, 3, 8), hours=weekdays) == []  # a Sunday
    assert clocks(day_slots(date(2026, 3, 9), hours=weekdays), CHICAGO) == MORNING_CLOCKS


def test_split_day_and_midnight_close() -> None:
    hours = {"sat": [["08:00", "09:00"], ["22:00", "24:00"]]}
    found = day_slots(date(2026, 3, 7), hours=hours)
    assert clocks(found, CHICAGO) == ["08:00", "08:30", "22:00", "22:30", "23:00", "23:30"]
    assert found[-1].end == utc("2026-03-08T06:00")


# --- Europe/London (spring forward 2026-03-29, fall back 2026-10-25) ---


@pytest.mark.parametrize(
    ("day", "nine_local"),
    [
        (date(2026, 3, 28), "2026-03-28T09:00"),  # GMT
        (date(2026, 3, 29), "2026-03-29T08:00"),  # BST from 01:00 GMT
        (date(2026, 3, 30), "2026-03-30T08:00"),
        (date(2026, 10, 24), "2026-10-24T08:00"),  # BST
        (date(2026, 10, 25), "2026-10-25T09:00"),  # GMT again
        (date(2026, 10, 26), "2026-10-26T09:00"),
    ],
)
def test_london_mornings_keep_their_wall_clock_across_dst(day: date, nine_local: str) -> None:
    found = day_slots(day, time_zone=LONDON)
    assert clocks(found, LONDON) == MORNING_CLOCKS
    assert found[2].start == utc(nine_local)


def test_london_24h_queue_on_its_own_dst_days() -> None:
    spring = day_slots(date(2026, 3, 29), time_zone=LONDON, hours=ALL_DAY)
    autumn = day_slots(date(2026, 10, 25), time_zone=LONDON, hours=ALL_DAY)
    assert len(spring) == 46
    assert not any(c.startswith("01:") for c in clocks(spring, LONDON))
    assert len(autumn) == 50
    assert clocks(autumn, LONDON).count("01:30") == 2
    # The US days are ordinary in London, and London's are ordinary in Chicago.
    assert len(day_slots(date(2026, 3, 8), time_zone=LONDON, hours=ALL_DAY)) == 48
    assert len(day_slots(date(2026, 3, 29), hours=ALL_DAY)) == 48


def test_between_the_us_and_eu_changes_the_zones_are_five_hours_apart() -> None:
    chicago = day_slots(date(2026, 3, 10))
    london = day_slots(date(2026, 3, 10), time_zone=LONDON)
    assert chicago[2].start == utc("2026-03-10T14:00")
    assert london[2].start == utc("2026-03-10T09:00")
    assert chicago[2].start - london[2].start == timedelta(hours=5)
