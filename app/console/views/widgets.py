"""Controls every console screen uses."""

from __future__ import annotations

from typing import Any

import flet as ft


def dropdown(*, label: str, **options: Any) -> ft.Control:
    """A dropdown that screen readers (and browser tests) find by its label: Flet 1.0's
    Dropdown exposes none of its own (the customer app's `named_dropdown` does the same)."""
    menu = ft.Dropdown(label=label, **options)
    return ft.Row([ft.Semantics(content=menu, label=label, button=True, container=True)])
