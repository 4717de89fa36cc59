"""Counted phrases ("1 change", "3 changes") by each language's plural rule.

A counted phrase is one plural message in the catalogs: msgid and msgid_plural are both
its key, and each language has as many forms (msgstr[n]) as its Plural-Forms header says:
two in English, three in Spanish and French (CLDR's "many" for millions: "1.000.000 de
cambios"). Each form has a `{count}` placeholder."""

from __future__ import annotations

from app.views.strings import number, translations


def trn(locale: str, key: str, count: int, **values: object) -> str:
    """The counted phrase `key` for `count`, with `count` written the way the language
    writes numbers and `values` filled in."""
    text = translations(locale).ngettext(key, key, count)
    return text.format(count=number(locale, count), **values)
