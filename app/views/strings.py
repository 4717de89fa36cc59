"""Every visible string, from the gettext catalogs in app/views/locales, and dates, times,
numbers and durations written the way the customer's language writes them (Babel, CLDR).

The catalogs are monolingual: each msgid is a symbolic key ("last_updated") and English
is the source language, so a message missing in another language reads in English. A
language is available when its compiled catalog (`<lang>/LC_MESSAGES/careline.mo`) is
there: adding one needs no code (README, "Languages")."""

from __future__ import annotations

import gettext
import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_datetime, format_skeleton, format_time, format_timedelta
from babel.numbers import format_decimal

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "careline"
SOURCE = "en"


def catalog_path(locale: str, suffix: str = ".mo") -> Path:
    return LOCALES / locale / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def available_languages() -> list[str]:
    """The languages with a compiled catalog, English first."""
    found = sorted(p.parent.parent.name for p in LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return sorted(found, key=lambda code: code != SOURCE)


def native_name(code: str) -> str:
    """A language as its speakers write it, capitalised for a menu: 'Español'."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


# The language menu: every available catalog, by its own name.
LANGUAGES: dict[str, str] = {code: native_name(code) for code in available_languages()}


@cache
def translations(locale: str) -> gettext.NullTranslations:
    """The catalog of `locale`, falling back to English message by message."""
    with catalog_path(SOURCE).open("rb") as source:
        english = gettext.GNUTranslations(source)
    if locale == SOURCE or locale not in LANGUAGES:
        return english
    with catalog_path(locale).open("rb") as found:
        table = gettext.GNUTranslations(found)
    table.add_fallback(english)
    return table


def tr(locale: str, key: str, **values: object) -> str:
    """The string `key` in `locale` (English when missing), with `values` filled in."""
    return translations(locale).gettext(key).format(**values)


@cache
def babel_locale(locale: str) -> Locale:
    """CLDR's data for a language the app speaks (English for any other, like its words)."""
    return Locale.parse(locale if locale in LANGUAGES else SOURCE)


def number(locale: str, value: float) -> str:
    """'1,234' / '1234' / '1 234' (CLDR's grouping for the language)."""
    return format_decimal(value, locale=babel_locale(locale))


def duration(locale: str, delta: timedelta) -> str:
    """'12 minutes' / '12 minutos', rounded to the largest sensible unit."""
    return format_timedelta(delta, locale=babel_locale(locale))


def minutes_range(locale: str, low: int, high: int) -> str:
    """A likely wait: '25 to 40 min' / '25 a 40 min' under an hour, else with Babel's
    durations, a unit taken from two of it on: '45 minutes to 3 hours', '90 minutes to
    26 hours' / '45 minutos a 3 horas'."""
    if high < 60:
        return tr(locale, "range_minutes", low=number(locale, low), high=number(locale, high))

    def spoken(minutes: int) -> str:
        delta = timedelta(minutes=minutes)
        return format_timedelta(delta, threshold=2, locale=babel_locale(locale))

    return tr(locale, "range_durations", low=spoken(low), high=spoken(high))


def ago(locale: str, moment: datetime, now: datetime) -> str:
    """'5 minutes ago' / 'hace 5 minutos' / 'il y a 5 minutes' (or 'in 2 days')."""
    # In UTC: between two times of one zone Python ignores a daylight-saving change.
    elapsed = moment.astimezone(UTC) - now.astimezone(UTC)
    return format_timedelta(elapsed, add_direction=True, locale=babel_locale(locale))


def parse_moment(moment: datetime | str) -> datetime:
    if isinstance(moment, str):
        return datetime.fromisoformat(moment.replace("Z", "+00:00"))
    return moment


def when(locale: str, moment: datetime | str | None, zone: tzinfo | None) -> str:
    """A time in the customer's `zone` (None: the device's own), the way the locale writes
    it: 'Nov 23, 9:05 PM' / '23 nov, 21:05' / '23 nov., 21:05'. The zone is never left
    out: on a server the device's zone is the server's, not the customer's."""
    if moment is None:
        return ""
    local = parse_moment(moment).astimezone(zone)
    day = format_skeleton("MMMd", local, tzinfo=local.tzinfo, locale=babel_locale(locale))
    pattern = babel_locale(locale).datetime_formats["medium"]
    return str(pattern).replace("{1}", day).replace("{0}", clock(locale, local))


def clock(locale: str, moment: datetime) -> str:
    """A time of day as the locale writes it, in the zone `moment` carries: '9:30 PM' /
    '21:30' (CLDR puts a narrow no-break space before AM/PM)."""
    return format_time(moment, "short", tzinfo=moment.tzinfo, locale=babel_locale(locale))


def short_day(locale: str, day: date) -> str:
    """'Mon, Nov 23' / 'lun, 23 nov' / 'lun. 23 nov.'."""
    return format_skeleton("MMMEd", day, locale=babel_locale(locale))


def long_date(locale: str, moment: datetime | date) -> str:
    """'Friday, December 11' / 'viernes, 11 de diciembre' / 'vendredi 11 décembre'."""
    found = babel_locale(locale)
    # CLDR has the pattern with the short weekday; the skeleton asks for the long one.
    pattern = re.sub("E+", "EEEE", str(found.datetime_skeletons["MMMMEd"]))
    if isinstance(moment, datetime):
        return format_datetime(moment, pattern, tzinfo=moment.tzinfo, locale=found)
    return format_datetime(datetime.combine(moment, datetime.min.time()), pattern, locale=found)
