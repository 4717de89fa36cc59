"""The console state of the current tab, handed to route components."""

from __future__ import annotations

from typing import cast

import flet as ft

from app.console.state.console import ConsoleState

ConsoleContext: ft.ContextProvider[ConsoleState | None] = ft.create_context(
    cast("ConsoleState | None", None)
)


def use_console() -> ConsoleState:
    console = ft.use_context(ConsoleContext)
    if console is None:
        raise RuntimeError("route rendered outside ConsoleApp")
    return console
