"""Pure slot arithmetic: local opening hours in IANA zones across DST changes, staffing and
capacity, hours validation, open/closed and the ASAP wait estimate."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.backend import slots
from app.backend.slots import OpeningHours, SlotWindow, StaffingInterval

CHICAGO = "America/Chicago"
LONDON = "Europe/London"
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MORNINGS: OpeningHours = {day: [["08:00", "12:00"]] for day in EVERY_DAY}
ALL_DAY: OpeningHours = {day: [["00:00", "24:00"]] for day in EVERY_DAY}
MORNING_CLOCKS = ["08:00", "08:30", "09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def always_staffed(agents: int = 1) -> list[StaffingInterval]:
    return [StaffingInterval(utc("2000-01-01T00:00"), utc("2100-01-01T00:00"), agents)]


def local_midnight(day: date, time_zone: str) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(time_zone)).astimezone(UTC)


def day_slots(
    day: date,
    *,
    time_zone: str = CHICAGO,
    hours: OpeningHours = MORNINGS,
    slot_minutes: int = 30,
    handle_minutes: int = 10,
    staffing: Sequence[StaffingInterval] | None = None,
) -> list[SlotWindow]:
    """The slots starting on the local calendar day `day` in `time_zone`."""
    return slots.slot_windows(
        hours=hours,
        time_zone=time_zone,
        slot_minutes=slot_minutes,
        handle_minutes=handle_minutes,
        staffing=always_staffed() if staffing is None else staffing,
        start=local_midnight(day, time_zone),
        end=local_midnight(day + timedelta(days=1), time_zone),
    )


def clocks(found: Sequence[SlotWindow], time_zone: str) -> list[str]:
    return [s.start.astimezone(ZoneInfo(time_zone)).strftime("%H:%M") for s in found]


def starts(found: Sequence[SlotWindow]) -> list[datetime]:
    return [s.start for s in found]


def assert_contiguous(found: Sequence[SlotWindow], minutes: int = 30) -> None:
    for slot in found:
        assert slot.start.tzinfo is not None
        assert slot.end - slot.start == timedelta(minutes=minutes)
    for before, after in itertools.pairwise(found):
        assert after.start == before.end


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


# --- Validation, zones, open/closed, ASAP wait ---


def test_validate_hours_accepts_good_hours() -> None:
    slots.validate_hours(ALL_DAY)
    slots.validate_hours({"mon": [["08:00", "12:00"], ["13:00", "17:30"]], "sun": []})
    slots.validate_hours({})


@pytest.mark.parametrize(
    "hours",
    [
        {"monday": [["08:00", "12:00"]]},
        {"Mon": [["08:00", "12:00"]]},
        {"mon": [["8am", "12:00"]]},
        {"mon": [["08:00", "25:00"]]},
        {"mon": [["08:00", "24:30"]]},
        {"mon": [["08:60", "12:00"]]},
        {"mon": [["08", "12:00"]]},
        {"mon": [["", "12:00"]]},
        {"mon": [["-1:00", "12:00"]]},
        {"mon": [["12:00", "12:00"]]},
        {"mon": [["13:00", "12:00"]]},
        {"mon": [["24:00", "24:00"]]},
        {"mon": [["08:00"]]},
        {"mon": [["08:00", "10:00", "12:00"]]},
    ],
)
def test_validate_hours_rejects_bad_hours(hours: OpeningHours) -> None:
    with pytest.raises(ValueError, match=r"."):
        slots.validate_hours(hours)


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "../etc/passwd", "Not A Zone"])
def test_unknown_zone_is_a_value_error(name: str) -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        slots.zone(name)
    with pytest.raises(ValueError, match="unknown time zone"):
        slots.is_open(MORNINGS, name, utc("2026-03-09T15:00"))
    with pytest.raises(ValueError, match="unknown time zone"):
        slots.slot_windows(
            hours=MORNINGS,
            time_zone=name,
            slot_minutes=30,
            handle_minutes=10,
            staffing=always_staffed(),
            start=utc("2026-03-09T00:00"),
            end=utc("2026-03-10T00:00"),
        )


def test_known_zones_resolve() -> None:
    assert slots.zone(CHICAGO) == ZoneInfo(CHICAGO)
    assert slots.zone("UTC") == ZoneInfo("UTC")


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-03-09T12:59", False),  # 07:59 CDT on a Monday
        ("2026-03-09T13:00", True),  # 08:00 CDT
        ("2026-03-09T16:59", True),
        ("2026-03-09T17:00", False),  # 12:00: closed at the closing time
        ("2026-03-06T13:30", False),  # 07:30 CST on a Friday
        ("2026-03-06T14:00", True),  # 08:00 CST
        ("2026-03-08T13:00", False),  # Sunday: closed all day
        ("2026-03-08T05:30", True),  # Saturday 23:30 CST, open until midnight
        ("2026-03-08T06:00", False),  # Sunday 00:00
    ],
)
def test_is_open(moment: str, expected: bool) -> None:
    weekdays = {day: [["08:00", "12:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
    hours = {**weekdays, "sat": [["20:00", "24:00"]]}
    assert slots.is_open(hours, CHICAGO, utc(moment)) is expected


def test_is_open_accepts_any_offset() -> None:
    moment = datetime.fromisoformat("2026-03-09T08:15-05:00")
    assert slots.is_open(MORNINGS, CHICAGO, moment)
    assert not slots.is_open(MORNINGS, LONDON, moment)  # 13:15 in London


@pytest.mark.parametrize(
    ("waiting", "agents", "handle", "expected"),
    [
        (0, 1, 10, 10),
        (1, 1, 10, 20),
        (2, 1, 10, 30),
        (0, 2, 10, 5),
        (3, 2, 10, 20),
        (2, 3, 10, 10),
        (0, 3, 10, 4),
        (0, 10, 1, 1),
    ],
)
def test_asap_wait_minutes(waiting: int, agents: int, handle: int, expected: int) -> None:
    assert slots.asap_wait_minutes(waiting=waiting, agents=agents, handle_minutes=handle) == (
        expected
    )


def test_asap_wait_rises_with_the_queue_and_falls_with_agents() -> None:
    waits = [slots.asap_wait_minutes(waiting=n, agents=2, handle_minutes=10) for n in range(8)]
    assert waits == sorted(waits)
    assert waits[-1] > waits[0]
    assert slots.asap_wait_minutes(waiting=5, agents=3, handle_minutes=10) < (
        slots.asap_wait_minutes(waiting=5, agents=1, handle_minutes=10)
    )


@pytest.mark.parametrize("agents", [0, -1])
def test_asap_wait_needs_agents(agents: int) -> None:
    with pytest.raises(ValueError, match="no agents"):
        slots.asap_wait_minutes(waiting=0, agents=agents, handle_minutes=10)
