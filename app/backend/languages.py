"""The customer's language at the hub: a BCP 47 tag checked against Babel's (CLDR's)
locales, and the hub's own words (the sign-in email) from its gettext catalogs.

The hub's catalogs are `locales/<language>/LC_MESSAGES/hub.po`, read as they are by
`app.schemas.po_catalogs` (symbolic keys, English the source language, so a message
missing in a language reads in English). The hub never imports the app's catalogs."""

from __future__ import annotations

from pathlib import Path

from babel import Locale, UnknownLocaleError

from app.schemas.po_catalogs import PoCatalogs

LOCALES = Path(__file__).parent / "locales"
CATALOGS = PoCatalogs(LOCALES, "hub")


def parse_locale(tag: str) -> str:
    """`tag` as the hub keeps it ('es', 'es-MX', 'zh-Hant-TW'); ValueError when it is not
    a language Babel knows ('xx', 'klingon')."""
    try:
        found = Locale.parse(tag.strip(), sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        raise ValueError(f"{tag!r} is not a known language tag (BCP 47, e.g. 'es')") from None
    return "-".join(part for part in (found.language, found.script, found.territory) if part)
