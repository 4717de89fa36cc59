"""The console's routes, from the registry: `/` shows the first destination the role may
use; every address shows the sign-in screen while the tab is signed out."""

from __future__ import annotations

import flet as ft

from app.console.state.console import ConsoleState, ConsoleUi
from app.console.state.session import SessionState
from app.console.strings import tr
from app.console.views.context import ConsoleContext, use_console
from app.console.views.registry import DESTINATIONS
from app.console.views.shell import console_view, visible


@ft.component
def Home() -> ft.View:
    """The first destination the role may use."""
    console = use_console()
    return HomeScreen(console.session, console.ui, console)


@ft.component
def HomeScreen(session: SessionState, ui: ConsoleUi, console: ConsoleState) -> ft.View:
    shown = visible(console) if session.staff else []
    for destination in DESTINATIONS:
        if shown and destination.route == shown[0][0]:
            return destination.screen()
    return console_view(
        "/", tr(ui.locale, "console_title"), [ft.Text(tr(ui.locale, "nothing_for_role"))]
    )


@ft.component
def ConsoleApp(console: ConsoleState) -> ft.Control:
    return ConsoleContext(
        console,
        lambda: ft.Router(
            [
                ft.Route(index=True, component=Home),
                *(ft.Route(path=d.route.strip("/"), component=d.screen) for d in DESTINATIONS),
            ],
            not_found=Home,
            manage_views=True,
        ),
    )
