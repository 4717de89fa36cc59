"""The customer's language at the hub: a BCP 47 tag checked against Babel's (CLDR's)
locales, and the hub's own words (the sign-in email) from its gettext catalogs.

The hub's catalogs are `locales/<language>/LC_MESSAGES/hub.po`, read as they are (no
compiled `.mo` to keep in step): symbolic keys, English the source language, so a message
missing in a language reads in English. The hub never imports the app's catalogs."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "hub"
SOURCE = "en"


def parse_locale(tag: str) -> str:
    """`tag` as the hub keeps it ('es', 'es-MX', 'zh-Hant-TW'); ValueError when it is not
    a language Babel knows ('xx', 'klingon')."""
    try:
        found = Locale.parse(tag.strip(), sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        raise ValueError(f"{tag!r} is not a known language tag (BCP 47, e.g. 'es')") from None
    return "-".join(part for part in (found.language, found.script, found.territory) if part)


def catalog_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def hub_languages() -> list[str]:
    """The languages the hub writes in, English first."""
    found = sorted(p.parent.parent.name for p in LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return sorted(found, key=lambda code: code != SOURCE)


def written_language(locale: str | None) -> str:
    """The hub language closest to `locale` ('es-MX' -> 'es'); English when none is."""
    if not locale:
        return SOURCE
    try:
        parsed = Locale.parse(locale.strip(), sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        return SOURCE
    languages = hub_languages()
    for candidate in (str(parsed), parsed.language):
        if candidate in languages:
            return candidate
    return SOURCE


@cache
def _catalog(language: str) -> Catalog:
    with catalog_path(language).open("rb") as found:
        return read_po(found, locale=language, domain=DOMAIN)


def hub_tr(language: str, key: str, **values: object) -> str:
    """The hub's message `key` in `language` (a `written_language`), English when missing,
    with `values` filled in."""
    for each in (language, SOURCE):
        message = _catalog(each).get(key)
        if message is not None and isinstance(message.string, str) and message.string:
            return message.string.format(**values)
    raise KeyError(key)
