"""The frame of every console screen: the rail of destinations the role may use, the
member of staff's name and role, the language and sign-out; a signed-out tab gets the
sign-in screen instead, whatever its address."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, Protocol

import flet as ft

from app.console.state.console import ConsoleState
from app.console.state.session import SessionState
from app.console.strings import LANGUAGES, tr
from app.console.views.context import use_console
from app.console.views.sign_in import SignInView
from app.console.views.widgets import dropdown

# The bar's height: a dense outlined menu is 48 high and its label floats 8 above it.
APPBAR_HEIGHT = 72


def visible(console: ConsoleState) -> list[tuple[str, str, ft.IconData]]:
    from app.console.views.registry import DESTINATIONS  # the registry imports the screens

    return [(d.route, d.label, d.icon) for d in DESTINATIONS if console.session.can(d.scope)]


def badged(console: ConsoleState) -> dict[str, Counted]:
    """The visible destinations' states that count something for the rail, by route."""
    from app.console.views.registry import DESTINATIONS

    return {
        d.route: console.screen(d.badge)
        for d in DESTINATIONS
        if d.badge is not None and console.session.can(d.scope)
    }


class Counted(Protocol):
    @property
    def badge(self) -> int | None: ...

    async def count(self) -> None: ...


def badge_text(count: int | None) -> str | None:
    """Nothing for none (or not counted yet); more than 99 as "99+"."""
    if not count:
        return None
    return "99+" if count > 99 else str(count)


def badged_icon(icon: ft.IconData, count: int | None, locale: str) -> ft.IconData | ft.Control:
    """The rail's icon with its count on it, which screen readers say too (a destination's
    own `badge` is not drawn by the rail)."""
    text = badge_text(count)
    if text is None:
        return icon
    return ft.Icon(icon, badge=text, semantics_label=tr(locale, "rail_count", count=text))


@ft.component
def Rail(console: ConsoleState, route: str, *counted: Counted) -> ft.Control:
    """`counted` (the states `badged` found, in its order) are passed in so that the rail
    is drawn again when a count changes; each is counted again when the rail is drawn
    anew, i.e. each time a screen opens."""
    page, locale = ft.context.page, console.ui.locale
    shown = visible(console)
    routes = [r for r, _, _ in shown]
    counts = dict(zip(badged(console), counted, strict=True))

    def count_all() -> None:
        for state in counted:
            page.run_task(state.count)

    ft.use_effect(count_all, dependencies=[])
    return ft.NavigationRail(
        selected_index=routes.index(route) if route in routes else None,
        on_change=lambda e: page.navigate(routes[e.control.selected_index]),
        label_type=ft.NavigationRailLabelType.ALL,
        min_width=96,
        destinations=[
            ft.NavigationRailDestination(
                icon=badged_icon(icon, counts[r].badge if r in counts else None, locale),
                label=tr(locale, label),
            )
            for r, label, icon in shown
        ],
    )


def who(session: SessionState) -> str | None:
    """Who is signed in (an effect's dependency: a screen loads again for someone else)."""
    return session.staff.id if session.staff else None


def signed_in_load(
    session: SessionState, page: ft.Page, load: Callable[[], Coroutine[Any, Any, None]]
) -> None:
    """A screen's first load, once someone is signed in (before, the sign-in screen shows
    and a call would only find no token)."""
    if session.staff is not None:
        page.run_task(load)


def staff_bar(console: ConsoleState) -> list[ft.Control]:
    staff, locale = console.session.staff, console.ui.locale
    if staff is None:
        return []

    async def sign_out() -> None:
        await console.session.sign_out()
        console.forget_screens()

    return [
        ft.Text(f"{staff.name} · {tr(locale, f'role_{staff.role.value}')}"),
        ft.Container(width=12),
        dropdown(
            value=locale,
            label=tr(locale, "language"),
            width=150,
            dense=True,
            options=[ft.DropdownOption(key=code, text=name) for code, name in LANGUAGES.items()],
            on_select=lambda e: console.set_locale(e.control.value or "en"),
        ),
        ft.TextButton(
            tr(locale, "sign_out"),
            icon=ft.Icons.LOGOUT,
            on_click=lambda: ft.context.page.run_task(sign_out),
        ),
    ]


def console_view(route: str, title: str, body: list[ft.Control]) -> ft.View:
    """A destination's screen in the frame, or the sign-in screen when signed out."""
    console = use_console()
    if console.session.staff is None:
        return SignInView(console.session, console.ui)
    return ft.View(
        route=ft.use_view_path(),
        # Tall enough that the Language menu's floating label clears the window's top edge.
        appbar=ft.AppBar(
            title=ft.Text(title),
            toolbar_height=APPBAR_HEIGHT,
            actions=[*staff_bar(console), ft.Container(width=12)],
        ),
        padding=0,
        controls=[
            ft.Row(
                [
                    Rail(console, route, *badged(console).values()),
                    ft.VerticalDivider(width=1),
                    ft.Container(
                        ft.Column(body, expand=True, spacing=12),
                        padding=16,
                        expand=True,
                    ),
                ],
                expand=True,
                vertical_alignment=ft.CrossAxisAlignment.START,
            )
        ],
    )
