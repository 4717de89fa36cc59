"""The state of the current window or tab, handed to route components."""

from __future__ import annotations

from typing import cast
from urllib.parse import parse_qs, urlparse

import flet as ft

from app.state.window import WindowState

WindowContext: ft.ContextProvider[WindowState | None] = ft.create_context(
    cast("WindowState | None", None)
)


def use_window() -> WindowState:
    """The window state given to `App` (route components are called without arguments)."""
    window = ft.use_context(WindowContext)
    if window is None:
        raise RuntimeError("route rendered outside App")
    return window


def route_query(name: str) -> str | None:
    """A query parameter of the current address (`/callbacks/new?queue=rebooking`)."""
    values = parse_qs(urlparse(ft.context.page.route or "").query).get(name)
    return values[0] if values else None
