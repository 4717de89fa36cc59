"""The console's words, from its own gettext catalogs (app/console/locales, domain
`console`; `python -m app.views.catalogs --domain console extract|update|compile`), and
durations and times the way the language writes them (Babel). Keys are symbolic and
English is the source: a message missing in Spanish reads in English."""

from __future__ import annotations

import gettext
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_datetime, format_timedelta

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "console"
SOURCE = "en"
# The language menu, by each language's own name.
LANGUAGES = {"en": "English", "es": "Español"}


@cache
def translations(locale: str) -> gettext.NullTranslations:
    def load(code: str) -> gettext.GNUTranslations:
        with (LOCALES / code / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as found:
            return gettext.GNUTranslations(found)

    english = load(SOURCE)
    if locale == SOURCE or locale not in LANGUAGES:
        return english
    table = load(locale)
    table.add_fallback(english)
    return table


def tr(locale: str, key: str, **values: object) -> str:
    """The string `key` in `locale` (English when missing), with `values` filled in."""
    return translations(locale).gettext(key).format(**values)


def babel_locale(locale: str) -> Locale:
    return Locale.parse(locale if locale in LANGUAGES else SOURCE)


def duration(locale: str, delta: timedelta) -> str:
    """'2 hours' / '2 horas', rounded to the largest sensible unit."""
    return format_timedelta(delta, locale=babel_locale(locale))


def when(locale: str, moment: datetime | None) -> str:
    """A time in UTC as the language writes it (the team works across zones)."""
    if moment is None:
        return ""
    return format_datetime(moment, "medium", tzinfo=moment.tzinfo, locale=babel_locale(locale))
