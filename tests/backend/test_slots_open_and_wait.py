"""Opening hours validated, time zones resolved, open or closed at a moment, and the ASAP
wait estimate."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from app.backend import slots
from app.backend.slots import OpeningHours
from tests.backend.slots_support import ALL_DAY, CHICAGO, LONDON, MORNINGS, always_staffed, utc

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
