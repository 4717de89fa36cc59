"""Every control of the console that has no text of its own is named for screen readers
(and browser tests): an icon-only button has a tooltip and a semantics label, a dropdown a
label, both in the screen's language. The screens build them only through
`app/console/views/widgets.py`, which this checks does name them."""

from __future__ import annotations

import ast
from pathlib import Path

import flet as ft
import pytest

from app.console.strings import LANGUAGES, SOURCE, tr
from app.console.views.widgets import dropdown, icon_button

VIEWS = Path(__file__).parents[2] / "app" / "console" / "views"
# Controls that say nothing to a screen reader unless they are given a name.
UNNAMED = {"IconButton", "Dropdown"}


def built_unnamed(path: Path) -> list[str]:
    """`ft.IconButton(...)` / `ft.Dropdown(...)` calls in a module, as 'file:line name'."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        called = node.func if isinstance(node, ast.Call) else None
        if isinstance(called, ast.Attribute) and called.attr in UNNAMED:
            found.append(f"{path.name}:{called.lineno} {called.attr}")
    return found


def test_the_screens_make_icon_buttons_and_dropdowns_only_through_the_named_widgets() -> None:
    modules = [p for p in sorted(VIEWS.glob("*.py")) if p.name != "widgets.py"]
    assert modules, VIEWS
    assert [hit for path in modules for hit in built_unnamed(path)] == []


def test_the_check_finds_an_unnamed_icon_button(tmp_path: Path) -> None:
    module = tmp_path / "screen.py"
    module.write_text("import flet as ft\nft.IconButton(ft.Icons.ADD)\nft.Dropdown()\n")
    assert built_unnamed(module) == ["screen.py:2 IconButton", "screen.py:3 Dropdown"]


@pytest.mark.parametrize("locale", sorted(LANGUAGES))
def test_an_icon_button_has_its_tooltip_and_semantics_label(locale: str) -> None:
    label = tr(locale, "refresh")
    named = icon_button(ft.Icons.REFRESH, label, lambda: None)
    assert isinstance(named, ft.Semantics) and named.label == label and named.button
    assert named.exclude_semantics and named.on_tap is not None  # said once, tapped as one
    assert isinstance(named.content, ft.IconButton) and named.content.tooltip == label
    if locale != SOURCE:  # said in the screen's own language
        assert label != tr(SOURCE, "refresh")


def test_a_dropdown_is_named_by_its_label() -> None:
    row = dropdown(label=tr("es", "queue"), options=[])
    assert isinstance(row, ft.Row)
    named = row.controls[0]
    assert isinstance(named, ft.Semantics) and named.label == tr("es", "queue")
    assert isinstance(named.content, ft.Dropdown) and named.content.label == named.label
