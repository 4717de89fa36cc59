"""Words of the app that name the company's trade ('Airports, flights and bookings'):
the company may give its own, per language, with its status page; the app's catalogs
hold generic ones for a company that gives none. Nothing in the code names a trade."""

from __future__ import annotations

from enum import StrEnum

from app.schemas.localized import pick


class CompanyWord(StrEnum):
    """The app's catalog keys a company may word itself."""

    alerts_keys = "alerts_keys"  # the Account alerts panel's section of keys followed
    key_label = "key_label"  # the field that adds a key
    key_hint = "key_hint"  # an example in that field
    search_hint = "search_hint"  # an example in the Help search field


# A company's words: catalog key (a CompanyWord) -> locale ('en', 'es') -> text.
Wording = dict[str, dict[str, str]]


def company_words(wording: Wording, word: CompanyWord, locale: str) -> str | None:
    """The company's text for `word` in `locale` (or its language, 'es' for 'es-MX');
    None when it gives none there, so the app's own generic words are shown."""
    return pick(wording.get(word.value, {}), locale) or None
