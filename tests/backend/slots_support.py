"""Helpers for the tests of the hub's slot arithmetic (app/backend/slots.py): opening hours
every morning or all day, a queue always staffed, one day's slots, and their wall clocks."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

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


def closing_soon(
    minutes: int, time_zone: str = CHICAGO
) -> tuple[dict[str, list[list[str]]], datetime, datetime]:
    """Hours that close `minutes` from now (today, local; at midnight if that is sooner)
    and open 08:00-12:00 every other day; with the closing time and the next opening."""
    tz = ZoneInfo(time_zone)
    here = datetime.now(tz)
    closes = (here + timedelta(minutes=minutes)).replace(second=0, microsecond=0)
    midnight = closes.date() != here.date()
    hours = {day: [["08:00", "12:00"]] for day in EVERY_DAY}
    hours[EVERY_DAY[here.weekday()]] = [
        ["00:00", "24:00" if midnight else closes.strftime("%H:%M")]
    ]
    if midnight:
        closes = datetime.combine(closes.date(), datetime.min.time(), tz)
    opening_day = closes.date() if midnight else closes.date() + timedelta(days=1)
    opening = datetime.combine(opening_day, datetime.min.time(), tz).replace(hour=8)
    return hours, closes.astimezone(UTC), opening.astimezone(UTC)
