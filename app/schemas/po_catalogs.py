"""Words the hub says, from gettext catalogs read as they are (`.po`, no compiled `.mo` to
keep in step): the fixed phrases around an event (`app/schemas/locales`, domain
`events`, said by the hub's pushes and the app's notifications alike) and the hub's own
words (the sign-in email, `app/backend/locales`, domain `hub`).

Keys are symbolic and English is the source language, so a message missing in a language
reads in English, and a language with no catalog reads wholly in English. The app's
screens have their own catalogs (`app/views/catalogs.py`)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

SOURCE = "en"


class PoCatalogs:
    """The catalogs of one domain in `folder/<language>/LC_MESSAGES/<domain>.po`."""

    def __init__(self, folder: Path, domain: str) -> None:
        self.folder = folder
        self.domain = domain

    def path(self, language: str) -> Path:
        return self.folder / language / "LC_MESSAGES" / f"{self.domain}.po"

    def languages(self) -> list[str]:
        """The languages with a catalog, English first."""
        pattern = f"*/LC_MESSAGES/{self.domain}.po"
        found = sorted(p.parent.parent.name for p in self.folder.glob(pattern))
        return sorted(found, key=lambda code: code != SOURCE)

    def language_for(self, locale: str | None) -> str:
        """The language with a catalog closest to `locale` ('es-MX' -> 'es'); English
        when none is."""
        if not locale:
            return SOURCE
        try:
            parsed = Locale.parse(locale.strip().replace("_", "-"), sep="-")
        except (ValueError, TypeError, UnknownLocaleError):
            return SOURCE
        languages = self.languages()
        for candidate in (str(parsed), parsed.language):
            if candidate in languages:
                return candidate
        return SOURCE

    def tr(self, locale: str | None, key: str, **values: object) -> str:
        """Message `key` in the language closest to `locale`, English when missing there,
        with `values` filled in; KeyError when English has no such message."""
        for language in (self.language_for(locale), SOURCE):
            message = _read(self.path(language)).get(key)
            if message is not None and isinstance(message.string, str) and message.string:
                return message.string.format(**values)
        raise KeyError(key)

    def messages(self, language: str) -> dict[str, str]:
        """Every translated message of `language`'s catalog, by key."""
        return {
            str(m.id): m.string
            for m in _read(self.path(language))
            if m.id and isinstance(m.string, str) and m.string
        }


@cache
def _read(path: Path) -> Catalog:
    with path.open("rb") as found:
        return read_po(found, locale=path.parent.parent.name, domain=path.stem)
