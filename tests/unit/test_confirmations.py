"""A destructive confirmation: "keep" is the filled, first button; the one that destroys
is a plain button in the error colour. Checked on the helper's controls, and on every
screen's source that no destructive action is a filled button."""

from __future__ import annotations

import ast
from pathlib import Path

import flet as ft

from app.views.widgets import confirm_box

VIEWS = Path(__file__).resolve().parents[2] / "app" / "views"
# The strings of actions that end or erase something.
DESTRUCTIVE = {
    "yes_cancel",
    "cancel_callback",
    "erase_confirm",
    "erase_account",
    "close_case",
    "sign_out_anyway",
    "sessions_end_others",
    "session_sign_out",
}
FILLED = {"FilledButton", "FilledTonalButton", "Button"}


def buttons(control: ft.Control) -> list[ft.Control]:
    found: list[ft.Control] = []
    if isinstance(control, ft.FilledButton | ft.TextButton | ft.OutlinedButton):
        return [control]
    for child in [getattr(control, "content", None), *getattr(control, "controls", [])]:
        if isinstance(child, ft.Control):
            found += buttons(child)
    return found


def test_keep_is_filled_and_first_and_the_destructive_one_is_plain() -> None:
    kept, done = [], []
    box = confirm_box(
        question="Cancel this callback?",
        keep="Keep it",
        on_keep=lambda: kept.append(1),
        act="Yes, cancel it",
        on_act=lambda: done.append(1),
    )
    keep, act = buttons(box)
    assert type(keep) is ft.FilledButton and keep.content == "Keep it"
    assert type(act) is ft.TextButton and act.content == "Yes, cancel it"
    assert act.style is not None and act.style.color == ft.Colors.ERROR
    assert not act.disabled
    busy = confirm_box(
        question="q", keep="k", on_keep=lambda: None, act="a", on_act=lambda: None, busy=True
    )
    assert buttons(busy)[1].disabled, "not pressed twice while it is being done"


def filled_destructive(path: Path) -> list[str]:
    """`FilledButton(tr(ui.locale, "<destructive key>"), ...)` calls in a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in FILLED or not node.args:
            continue
        label = node.args[0]
        if (
            isinstance(label, ast.Call)
            and len(label.args) >= 2
            and isinstance(label.args[1], ast.Constant)
            and label.args[1].value in DESTRUCTIVE
        ):
            found.append(f"{path.name}:{node.lineno} {label.args[1].value}")
    return found


def test_no_screen_fills_a_destructive_button() -> None:
    found = [hit for path in sorted(VIEWS.glob("*.py")) for hit in filled_destructive(path)]
    assert found == []
