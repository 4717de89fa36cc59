"""The console's destinations, in rail order: one entry per screen. A new screen is a
file of its own with a route component and one line here (the rail, the router and the
role check all read this list). `scope` is the operator scope the hub checks on the
screen's calls: a role without it does not see the destination (the hub refuses
anyway); `badge` puts a count on its rail entry.

A screen's route component takes no arguments and reads the tab's state with
`use_console()`; it renders a component that takes the observables it shows (so it is
drawn again when they change): `console.session`, `console.ui`, and the screen's own
state object, `console.screen(MyState)` (made once per tab: `MyState(console)`, an
`ft.Observable` in `app/console/state/`). That component returns
`console_view(route, title, body)` (`shell.py`), which frames it, or shows the sign-in
screen when the tab is signed out; it loads with `ft.use_effect(lambda:
signed_in_load(session, page, state.load), dependencies=[who(session)])` and shows a
failed call with `failure_text(locale, state.error)` (`sign_in.py`; `state.error` comes
from `console.session.call(state, coroutine)`, which also ends the sign-in on a 401).
Ctrl+Enter runs `console.send_shortcut` (set it to the screen's send action)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import flet as ft

from app.console.state.warnings import WarningsState
from app.console.views.audit_screen import AuditRoute
from app.console.views.callbacks_screen import CallbacksRoute
from app.console.views.cases_screen import CasesRoute
from app.console.views.charts_screen import ChartsRoute
from app.console.views.knowledge_screen import KnowledgeRoute
from app.console.views.status_screen import StatusRoute
from app.console.views.team_screen import TeamRoute
from app.console.views.warnings_screen import WarningsRoute


@dataclass(frozen=True)
class Destination:
    route: str  # "/status"
    label: str  # catalog key of the rail's label
    icon: ft.IconData
    screen: Callable[[], ft.View]  # an @ft.component returning the screen's View
    scope: str | None  # the operator scope it needs; None: every member of staff
    # A state class (`console.screen(badge)`) with `badge: int | None` and `async count()`:
    # the rail shows its count, counted again each time the rail is drawn anew.
    badge: type[Any] | None = None


DESTINATIONS: list[Destination] = [
    Destination("/status", "nav_status", ft.Icons.MONITOR_HEART_OUTLINED, StatusRoute, "status"),
    # Bursts of public posts: whoever runs the status page acts on them.
    Destination(
        "/warnings",
        "nav_warnings",
        ft.Icons.CRISIS_ALERT_OUTLINED,
        WarningsRoute,
        "status",
        badge=WarningsState,
    ),
    Destination("/cases", "nav_cases", ft.Icons.FORUM_OUTLINED, CasesRoute, "cases"),
    Destination(
        "/callbacks", "nav_callbacks", ft.Icons.PHONE_CALLBACK_OUTLINED, CallbacksRoute, "callbacks"
    ),
    Destination("/knowledge", "nav_knowledge", ft.Icons.MENU_BOOK_OUTLINED, KnowledgeRoute, "kb"),
    # Its three charts need cases, callbacks and kb (a supervisor's and an admin's scopes);
    # a chart whose scope the role lacks is left out.
    Destination("/charts", "nav_charts", ft.Icons.INSERT_CHART_OUTLINED, ChartsRoute, "callbacks"),
    # Managing staff and reading the audit trail: the `staff` scope, an admin's alone.
    Destination("/team", "nav_team", ft.Icons.GROUPS_OUTLINED, TeamRoute, "staff"),
    Destination("/audit", "nav_audit", ft.Icons.HISTORY, AuditRoute, "staff"),
]
