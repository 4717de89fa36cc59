"""The console's gettext catalogs (domain `console`) are complete and match its code:
every key it uses is in English, every message translated into Spanish with the English
placeholders, no unused entry, every family of run-time keys listed, `.mo` up to date."""

from __future__ import annotations

import ast
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo

from app.console.strings import LANGUAGES, SOURCE
from app.views.catalogs import CONSOLE, catalogs, compiled, extracted, keys, literals, read
from tests.unit.catalog_checks import problems, translated


def catalog_of(locale: str) -> Catalog:
    return read(dict(catalogs(CONSOLE))[locale])


def test_english_and_spanish_and_nothing_missing_or_unused() -> None:
    assert sorted(locale for locale, _ in catalogs(CONSOLE)) == sorted(LANGUAGES)
    english = keys(catalog_of(SOURCE))
    assert keys(extracted(CONSOLE)) - english == set()
    used = keys(extracted(CONSOLE)) | literals(CONSOLE)
    assert {
        k for k in english if k not in used and not k.startswith(CONSOLE.dynamic_prefixes)
    } == set()


def test_spanish_is_complete_with_the_english_placeholders() -> None:
    assert problems(catalog_of(SOURCE), catalog_of("es")) == []


def test_the_dynamic_prefixes_are_the_ones_the_code_builds_and_have_entries() -> None:
    built = set()
    for path in CONSOLE.sources.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tr":
                key = node.args[1] if len(node.args) > 1 else None
                if isinstance(key, ast.JoinedStr) and isinstance(key.values[0], ast.Constant):
                    built.add(str(key.values[0].value))
    assert built == set(CONSOLE.dynamic_prefixes)
    english = keys(catalog_of(SOURCE))
    for prefix in CONSOLE.dynamic_prefixes:
        assert any(key.startswith(prefix) for key in english), prefix


@pytest.mark.parametrize(("locale", "path"), list(catalogs(CONSOLE)))
def test_the_compiled_catalogs_are_up_to_date(locale: str, path: Path) -> None:
    """`python -m app.views.catalogs --domain console compile` after editing a `.po`."""
    with path.with_suffix(".mo").open("rb") as found:
        mo = read_mo(found)
    po = read(path)
    assert translated(mo) == translated(po), locale
    assert translated(read_mo(BytesIO(compiled(po)))) == translated(po)
