"""What is wrong with a translation against the English catalog, and a catalog's
translated messages: the checks the app's and the console's catalog tests share."""

from __future__ import annotations

import string

from babel.messages.catalog import Catalog, Message

from app.views.catalogs import (
    keys,
)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def forms(message: Message) -> tuple[str, ...]:
    """A message's text, or each of its plural forms."""
    found = message.string
    return tuple(found) if isinstance(found, (tuple, list)) else (str(found or ""),)


def entries(catalog: Catalog) -> dict[str, Message]:
    return {key: catalog[key] for key in keys(catalog)}


def problems(source: Catalog, other: Catalog) -> list[str]:
    """What is wrong with the translation `other` of the English catalog `source`."""
    english, found = entries(source), entries(other)
    wrong = [f"{key}: English has no such message" for key in set(found) - set(english)]
    for key, message in english.items():
        if key not in found:
            wrong.append(f"{key}: missing")
            continue
        translated = found[key]
        if translated.fuzzy or translated.pluralizable != message.pluralizable:
            wrong.append(f"{key}: fuzzy, or plural in one language only")
        elif translated.pluralizable and len(forms(translated)) != other.num_plurals:
            wrong.append(f"{key}: not {other.num_plurals} plural forms")
        expected = set().union(*(placeholders(text) for text in forms(message)))
        for text in forms(translated):
            if not text.strip():
                wrong.append(f"{key}: untranslated")
            elif placeholders(text) != expected:
                wrong.append(f"{key}: placeholders {sorted(placeholders(text))}")
    return sorted(wrong)


def translated(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    return {key: forms(m) for key, m in entries(catalog).items() if any(forms(m))}
