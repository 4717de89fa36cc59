"""Counted phrases ("1 change", "3 changes") by each language's plural rule.

A counted phrase is two strings in the locale tables, `<key>_one` and `<key>_other`, each
with a `{count}` placeholder. English and Spanish use the singular for exactly one and
the plural for everything else, zero included ("0 changes", "0 cambios")."""

from __future__ import annotations

from app.views.strings import tr

FORMS = ("one", "other")


def plural_form(locale: str, count: int) -> str:
    """The plural category of `count` in `locale` (CLDR's names)."""
    del locale  # both languages the app speaks share the rule
    return "one" if count == 1 else "other"


def trn(locale: str, key: str, count: int, **values: object) -> str:
    """The counted phrase `key` for `count`, with `values` filled in."""
    return tr(locale, f"{key}_{plural_form(locale, count)}", count=count, **values)
