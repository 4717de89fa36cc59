"""Controls every console screen uses: each named for screen readers (and browser tests)
in the language of the screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft


def dropdown(*, label: str, **options: Any) -> ft.Control:
    """A dropdown that screen readers (and browser tests) find by its label: Flet 1.0's
    Dropdown exposes none of its own (the customer app's `named_dropdown` does the same)."""
    menu = ft.Dropdown(label=label, **options)
    # A tight row: as wide as the menu, so that menus in a wrapping row sit side by side.
    named = ft.Semantics(content=menu, label=label, button=True, container=True)
    return ft.Row([named], tight=True)


def icon_button(icon: ft.IconData, label: str, on_click: Callable[..., Any]) -> ft.Control:
    """A button that shows only an icon: its label is the tooltip sighted users get on
    hover or a long press, and the name screen readers say once (the tooltip's own
    semantics are left out, or they would say it twice); a screen reader's tap is the
    button's."""
    button = ft.IconButton(icon, tooltip=label, on_click=on_click)
    return ft.Semantics(
        content=button,
        label=label,
        button=True,
        container=True,
        exclude_semantics=True,
        on_tap=on_click,
    )
