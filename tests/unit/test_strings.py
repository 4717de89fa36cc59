"""Every string exists in every language, with the same placeholders."""

from __future__ import annotations

import string
from datetime import UTC, datetime

import pytest

from app.views.strings import STRINGS, clock, tr, when


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("locale", sorted(set(STRINGS) - {"en"}))
def test_every_string_is_translated_with_its_placeholders(locale: str) -> None:
    english, other = STRINGS["en"], STRINGS[locale]
    assert set(other) == set(english)
    for key, text in english.items():
        assert placeholders(other[key]) == placeholders(text), key
        assert other[key].strip(), key


def test_times_are_written_the_way_each_language_writes_them() -> None:
    moment = datetime(2026, 11, 23, 21, 5, tzinfo=UTC)
    assert when("en", moment, UTC) == "Nov 23, 9:05 PM"
    assert when("es", moment, UTC) == "23 nov, 21:05"
    assert clock("en", moment.replace(hour=0)) == "12:05 AM"
    assert tr("es", "case_number", number=100001) == "Caso n.º 100001"
