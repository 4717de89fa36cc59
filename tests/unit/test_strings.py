"""Strings come from the catalogs, and times, dates, numbers and durations are written the
way each language writes them, in the customer's time zone, across daylight-saving changes.

Babel's forms (CLDR) that differ from the hand-written ones before them: English puts a
narrow no-break space (U+202F) before AM/PM, so a time never breaks across lines."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.views.strings import (
    LANGUAGES,
    ago,
    clock,
    duration,
    long_date,
    number,
    short_day,
    tr,
    when,
)

CHICAGO = ZoneInfo("America/Chicago")  # summer time ends 1 November 2026, 02:00
MADRID = ZoneInfo("Europe/Madrid")  # summer time ends 25 October 2026, 03:00
BEFORE = datetime(2026, 10, 24, 18, 30, tzinfo=UTC)  # both zones on summer time
AFTER = datetime(2026, 11, 2, 18, 30, tzinfo=UTC)  # both on winter time
NARROW = "\u202f"


def test_strings_come_from_the_catalogs_with_english_as_the_fallback() -> None:
    assert tr("es", "case_number", number=100001) == "Caso n.º 100001"
    assert tr("fr", "case_number", number=100001) == "Demande nº\u00a0100001"
    assert tr("en", "last_updated", when="now") == "Last updated now"
    assert tr("de", "retry") == "Try again"
    assert LANGUAGES == {"en": "English", "es": "Español", "fr": "Français"}


def test_times_are_written_the_way_each_language_writes_them() -> None:
    moment = datetime(2026, 11, 23, 21, 5, tzinfo=UTC)
    assert when("en", moment, UTC) == f"Nov 23, 9:05{NARROW}PM"
    assert when("es", moment, UTC) == "23 nov, 21:05"
    assert when("fr", moment, UTC) == "23 nov., 21:05"
    assert when("en", "2026-11-23T21:05:00Z", UTC) == f"Nov 23, 9:05{NARROW}PM"
    assert when("en", None, UTC) == ""
    assert clock("en", moment.replace(hour=0)) == f"12:05{NARROW}AM"
    assert clock("es", moment.replace(hour=0)) == "0:05"
    # A language without a catalog is written like its words: in English.
    assert when("de", moment, UTC) == when("en", moment, UTC)


@pytest.mark.parametrize(
    ("locale", "zone", "before", "after"),
    [
        ("en", CHICAGO, f"Oct 24, 1:30{NARROW}PM", f"Nov 2, 12:30{NARROW}PM"),
        ("en", MADRID, f"Oct 24, 8:30{NARROW}PM", f"Nov 2, 7:30{NARROW}PM"),
        ("es", CHICAGO, "24 oct, 13:30", "2 nov, 12:30"),
        ("es", MADRID, "24 oct, 20:30", "2 nov, 19:30"),
    ],
)
def test_times_follow_the_zone_across_its_daylight_saving_change(
    locale: str, zone: ZoneInfo, before: str, after: str
) -> None:
    """The same UTC time of day reads an hour earlier once summer time has ended."""
    assert when(locale, BEFORE, zone) == before
    assert when(locale, AFTER, zone) == after
    assert clock(locale, AFTER.astimezone(zone)) == after.split(", ")[1]


@pytest.mark.parametrize(
    ("locale", "chicago", "madrid"),
    [
        ("en", f"Sun, Nov 1 · Sunday, November 1 · 11:30{NARROW}PM", "Mon, Nov 2"),
        ("es", "dom, 1 nov · domingo, 1 de noviembre · 23:30", "lun, 2 nov"),
        ("fr", "dim. 1 nov. · dimanche 1 novembre · 23:30", "lun. 2 nov."),
    ],
)
def test_the_day_is_the_day_in_the_customer_zone(locale: str, chicago: str, madrid: str) -> None:
    """05:30 UTC on 2 November is still the evening of the 1st in Chicago (CST, UTC-6)."""
    moment = datetime(2026, 11, 2, 5, 30, tzinfo=UTC)
    there = moment.astimezone(CHICAGO)
    shown = f"{short_day(locale, there.date())} · {long_date(locale, there)} · "
    assert shown + clock(locale, there) == chicago
    assert short_day(locale, moment.astimezone(MADRID).date()) == madrid
    assert long_date(locale, date(2026, 12, 11)).lower().startswith(("friday", "viernes", "vend"))


@pytest.mark.parametrize(
    ("locale", "earlier", "later", "elapsed"),
    [
        ("en", "5 minutes ago", "in 2 days", "12 minutes"),
        ("es", "hace 5 minutos", "dentro de 2 días", "12 minutos"),
        ("fr", "il y a 5 minutes", "dans 2 jours", "12 minutes"),
    ],
)
def test_relative_times_and_durations(locale: str, earlier: str, later: str, elapsed: str) -> None:
    now = datetime(2026, 11, 23, 21, 5, tzinfo=UTC)
    assert ago(locale, now - timedelta(minutes=5), now) == earlier
    assert ago(locale, now + timedelta(days=2), now) == later
    assert duration(locale, timedelta(minutes=12)) == elapsed


def test_relative_times_count_real_time_across_a_daylight_saving_change() -> None:
    """00:30 CDT to 02:30 CST on 1 November is three hours, not two (the clock went back)."""
    start = datetime(2026, 11, 1, 0, 30, tzinfo=CHICAGO)
    now = datetime(2026, 11, 1, 2, 30, tzinfo=CHICAGO)
    assert ago("en", start, now) == "3 hours ago"
    assert ago("es", start, now) == "hace 3 horas"


def test_numbers_are_grouped_the_way_each_language_groups_them() -> None:
    assert number("en", 12345) == "12,345"
    assert number("es", 12345) == "12.345"
    assert number("fr", 12345) == f"12{NARROW}345"
