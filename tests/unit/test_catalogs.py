"""The gettext catalogs are complete and match the code: every message translated in every
language with the English placeholders, every key the code uses in the English catalog,
no entry that no code uses, and every compiled `.mo` up to date with its `.po`."""

from __future__ import annotations

import ast
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo

from app.views.catalogs import (
    DYNAMIC_PREFIXES,
    VIEWS,
    catalogs,
    compiled,
    extracted,
    keys,
    literals,
    read,
)
from app.views.strings import LANGUAGES, SOURCE
from tests.unit.catalog_checks import entries, forms, problems, translated

TRANSLATIONS = [locale for locale, _ in catalogs() if locale != SOURCE]


def catalog_of(locale: str) -> Catalog:
    return read(dict(catalogs())[locale])


def test_every_catalog_is_a_language_of_the_menu_and_english_is_complete() -> None:
    assert sorted(LANGUAGES) == sorted(locale for locale, _ in catalogs())
    assert {SOURCE, "es", "fr"} <= set(LANGUAGES)
    english = catalog_of(SOURCE)
    assert not english.fuzzy
    for key, message in entries(english).items():
        assert all(text.strip() for text in forms(message)), key
        assert len(forms(message)) in (1, english.num_plurals), key


@pytest.mark.parametrize("locale", TRANSLATIONS)
def test_every_message_is_translated_with_the_english_placeholders(locale: str) -> None:
    assert problems(catalog_of(SOURCE), catalog_of(locale)) == []


def test_the_check_finds_a_missing_an_untranslated_and_a_changed_placeholder() -> None:
    broken = catalog_of("es")
    del broken["sign_out"]
    broken["last_updated"].string = "Actualizado {cuando}"
    broken["retry"].string = ""
    broken["changes_waiting"].string = ("{count} cambio", "{count} de cambios")
    broken.add("invented", "Inventado")
    assert problems(catalog_of(SOURCE), broken) == [
        "changes_waiting: not 3 plural forms",
        "invented: English has no such message",
        "last_updated: placeholders ['cuando']",
        "retry: untranslated",
        "sign_out: missing",
    ]


def test_french_typography_is_consistent() -> None:
    """A no-break space before : ; ? ! and inside « », never a plain one."""
    for key, message in entries(catalog_of("fr")).items():
        for text in forms(message):
            for mark in ":;?!»":
                assert f" {mark}" not in text, (key, mark)
            assert "« " not in text, key
            assert "'" not in text, (key, "the apostrophe is ’")


def dynamic_key_prefixes() -> set[str]:
    """The literal start of every key the code builds at run time for tr or trn."""
    found = set()
    for path in VIEWS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id in ("tr", "trn") and len(node.args) > 1:
                key = node.args[1]
                if isinstance(key, ast.JoinedStr):
                    first = key.values[0]
                    assert isinstance(first, ast.Constant), f"{path}: a key with no prefix"
                    found.add(str(first.value))
    return found


def test_the_dynamic_prefixes_are_the_ones_the_code_builds() -> None:
    assert dynamic_key_prefixes() == set(DYNAMIC_PREFIXES)


def test_every_key_the_code_uses_is_in_the_english_catalog() -> None:
    english = keys(catalog_of(SOURCE))
    assert keys(extracted()) - english == set()
    plural = {key for key, m in entries(catalog_of(SOURCE)).items() if m.pluralizable}
    used_plural = {key for key, m in entries(extracted()).items() if m.pluralizable}
    assert used_plural <= plural, "trn needs a plural message"


def test_no_catalog_entry_is_unused() -> None:
    used = keys(extracted()) | literals()
    unused = {
        key
        for key in keys(catalog_of(SOURCE))
        if key not in used and not key.startswith(DYNAMIC_PREFIXES)
    }
    assert unused == set()


def test_every_family_of_dynamic_keys_has_entries() -> None:
    english = keys(catalog_of(SOURCE))
    for prefix in DYNAMIC_PREFIXES:
        assert any(key.startswith(prefix) for key in english), prefix


@pytest.mark.parametrize(("locale", "path"), list(catalogs()))
def test_the_compiled_catalogs_are_up_to_date(locale: str, path: Path) -> None:
    """`python -m app.views.catalogs compile` after editing a `.po` (compared message by
    message: the bytes name the Babel version that compiled them)."""
    with path.with_suffix(".mo").open("rb") as found:
        mo = read_mo(found)
    po = read(path)
    assert translated(mo) == translated(po), locale
    assert mo.plural_forms == po.plural_forms
    assert translated(read_mo(BytesIO(compiled(po)))) == translated(po)
