"""The callback's calendar file against the rules of RFC 5545: CRLF line ends, lines
folded at 75 octets without splitting a character, TEXT escaping, UID and DTSTAMP, and
UTC start and end."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.state.calendar import CalendarEvent, calendar_text, escape_text, fold

CHICAGO = ZoneInfo("America/Chicago")
START = datetime(2026, 12, 11, 14, 0, tzinfo=CHICAGO)  # 20:00 UTC


def event(**changes: object) -> CalendarEvent:
    values: dict[str, object] = {
        "uid": "cb-local-1@careline",
        "start": START,
        "end": START + timedelta(minutes=30),
        "summary": "Call from Northwind Air",
        "description": "We call +1 312 555 0123; from +1 312 555 0100, about: rebooking",
        "alarm_text": "Northwind Air calls you in 10 minutes",
    }
    values.update(changes)
    return CalendarEvent(**values)  # type: ignore[arg-type]


def unfold(text: str) -> list[str]:
    """RFC 5545 3.1: a CRLF followed by one space or tab is removed."""
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")[:-1]


def properties(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in unfold(text):
        name, _, value = line.partition(":")
        found.setdefault(name, []).append(value)
    return found


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def test_lines_end_in_crlf_and_fit_75_octets() -> None:
    long = "Vuelo cancelado por la tormenta — ñandú, café; " * 6
    text = calendar_text(event(description=long), now=datetime(2026, 12, 7, tzinfo=UTC))
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    raw_lines = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in raw_lines)
    assert any(line.startswith(" ") for line in raw_lines), "the long description is folded"
    for line in raw_lines:
        line.encode("utf-8").decode("utf-8")  # no character cut in two
    assert unescape(properties(text)["DESCRIPTION"][0]) == long


def test_fold_never_splits_a_multibyte_character() -> None:
    line = "DESCRIPTION:" + "é" * 100
    pieces = fold(line)
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert pieces[0] + "".join(p[1:] for p in pieces[1:]) == line


def test_text_values_escape_backslash_semicolon_comma_and_newlines() -> None:
    assert escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"
    text = calendar_text(event(summary="Call; about A,B\\C\nnow"))
    assert properties(text)["SUMMARY"] == ["Call\\; about A\\,B\\\\C\\nnow"]


def test_one_event_with_uid_stamp_and_utc_times() -> None:
    stamp = datetime(2026, 12, 7, 10, 42, 3, tzinfo=UTC)
    text = calendar_text(event(), now=stamp)
    found = properties(text)
    assert found["BEGIN"] == ["VCALENDAR", "VEVENT", "VALARM"]
    assert found["END"] == ["VALARM", "VEVENT", "VCALENDAR"]
    assert found["VERSION"] == ["2.0"] and found["PRODID"]
    assert found["UID"] == ["cb-local-1@careline"]
    assert found["DTSTAMP"] == ["20261207T104203Z"]
    assert found["DTSTART"] == ["20261211T200000Z"]
    assert found["DTEND"] == ["20261211T203000Z"]
    assert found["TRIGGER"] == ["-PT10M"] and found["ACTION"] == ["DISPLAY"]
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"


def test_a_dst_day_keeps_real_time() -> None:
    # 2026-03-08 02:30 does not exist in Chicago; 01:30 CST is 07:30 UTC.
    start = datetime(2026, 3, 8, 1, 30, tzinfo=CHICAGO)
    found = properties(calendar_text(event(start=start, end=start + timedelta(hours=1))))
    assert (found["DTSTART"], found["DTEND"]) == (["20260308T073000Z"], ["20260308T083000Z"])


def test_naive_or_backwards_times_are_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        calendar_text(event(start=datetime(2026, 12, 11, 14, 0)))
    with pytest.raises(ValueError, match="ends after it starts"):
        calendar_text(event(end=START - timedelta(minutes=1)))
