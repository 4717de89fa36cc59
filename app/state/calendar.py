"""A calendar file (iCalendar, RFC 5545) for a booked callback, so the customer's own
calendar reminds them of the call.

Built by hand, not with a library: one event, a handful of properties. What the RFC asks
and is done here: CRLF line ends; lines folded at 75 octets (never inside a UTF-8
character) with a space starting each continuation; TEXT values with backslash,
semicolon, comma and newlines escaped; UID and DTSTAMP on the event; times in UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

PRODID = "-//Careline//Callbacks//EN"
LINE_OCTETS = 75
ALARM_BEFORE = timedelta(minutes=10)


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable for one callback, so a second download updates the same event
    start: datetime
    end: datetime
    summary: str
    description: str
    alarm_text: str


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash first, then ; , and newlines."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    for raw, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        value = value.replace(raw, escaped)
    return value


def utc_stamp(moment: datetime) -> str:
    """A DATE-TIME in UTC form (3.3.5): 20261211T200000Z."""
    if moment.tzinfo is None:
        raise ValueError("calendar times must carry a time zone")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> list[str]:
    """`line` cut into pieces of at most 75 octets (3.1); each piece after the first
    starts with the space that unfolding removes."""
    pieces: list[str] = []
    current, size, limit = "", 0, LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = " ", 1, LINE_OCTETS
        current += char
        size += width
    pieces.append(current)
    return pieces


def calendar_text(event: CalendarEvent, *, now: datetime | None = None) -> str:
    """The whole VCALENDAR with the one event (and a reminder before it), CRLF-ended."""
    start, end = utc_stamp(event.start), utc_stamp(event.end)
    if event.end <= event.start:
        raise ValueError("an event ends after it starts")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{utc_stamp(now or datetime.now(UTC))}",
        f"DTSTART:{start}",
        f"DTEND:{end}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"DESCRIPTION:{escape_text(event.description)}",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"TRIGGER:-PT{int(ALARM_BEFORE.total_seconds() // 60)}M",
        f"DESCRIPTION:{escape_text(event.alarm_text)}",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(piece + "\r\n" for line in lines for piece in fold(line))
