"""The frame around every top-level screen: app bar, the offline and storage banners
(`app.views.banners`), and navigation (a bottom bar on phones, a rail on wider windows)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.state.navigation import NavigationHistory
from app.state.notices import NoticesState
from app.state.window import UiState
from app.views.banners import WindowBanners
from app.views.context import use_window
from app.views.layout import reading_area
from app.views.strings import tr

DESTINATIONS = [
    ("nav_status", ft.Icons.MONITOR_HEART_OUTLINED, ft.Icons.MONITOR_HEART, "/status"),
    ("nav_help", ft.Icons.HELP_OUTLINE, ft.Icons.HELP, "/help"),
    ("nav_callbacks", ft.Icons.PHONE_CALLBACK_OUTLINED, ft.Icons.PHONE_CALLBACK, "/callbacks"),
    ("nav_cases", ft.Icons.FORUM_OUTLINED, ft.Icons.FORUM, "/cases"),
    ("nav_account", ft.Icons.PERSON_OUTLINE, ft.Icons.PERSON, "/account"),
]
ACCOUNT = 4


def nav_icon(icon: ft.IconData, unseen: int) -> ft.Icon:
    """A destination's icon, with a badge counting live updates not yet looked at."""
    return ft.Icon(icon, badge=ft.Badge(label=str(unseen)) if unseen else None)


@ft.component
def Navigation(notices: NoticesState, ui: UiState, selected: int) -> ft.Control:
    """The destinations: a bottom bar on phones, a rail on wider windows."""
    page = ft.context.page
    section = DESTINATIONS[selected][3]
    ft.use_effect(lambda: notices.seen(section), dependencies=[section])

    def go(index: int) -> None:
        page.navigate(DESTINATIONS[index][3])

    if ui.narrow:
        # Not ft.NavigationBar: with it (Flet 1.0.5), a text field on the screen it
        # switched to loses focus at every re-render, eating what the customer types.
        return ft.Row(
            [
                (ft.FilledTonalButton if index == selected else ft.TextButton)(
                    content=ft.Column(
                        [
                            nav_icon(
                                chosen if index == selected else icon,
                                notices.unseen.get(route, 0),
                            ),
                            ft.Text(tr(ui.locale, key), size=12, no_wrap=True),
                        ],
                        spacing=2,
                        tight=True,
                        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
                    ),
                    on_click=lambda _, i=index: go(i),
                    expand=True,
                    # Five labels share a phone's width: no room for padding.
                    style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=0)),
                )
                for index, (key, icon, chosen, route) in enumerate(DESTINATIONS)
            ],
        )
    return ft.NavigationRail(
        selected_index=selected,
        on_change=lambda e: go(e.control.selected_index),
        label_type=ft.NavigationRailLabelType.ALL,
        destinations=[
            ft.NavigationRailDestination(
                icon=nav_icon(icon, notices.unseen.get(route, 0)),
                selected_icon=chosen,
                label=tr(ui.locale, key),
            )
            for key, icon, chosen, route in DESTINATIONS
        ],
    )


@ft.component
def WindowNavigation(selected: int) -> ft.Control:
    window = use_window()
    return Navigation(window.notices, window.ui, selected)


def use_trail() -> None:
    """Note the address this window shows, so Back leads where the customer came from."""
    history = use_window().history
    route = ft.context.page.route or ft.use_route_location() or "/"
    ft.use_effect(lambda: history.visit(route), dependencies=[route])


def back_handler(page: ft.Page, history: NavigationHistory) -> ft.EventHandler[ft.ViewPopEvent]:
    """The app bar's Back (and a phone's): to the screen before this one, not to the
    screen this one sits under in the routes."""

    def on_view_pop(_: ft.ViewPopEvent) -> None:
        page.navigate(history.back())

    return on_view_pop


def shell(
    *,
    ui: UiState,
    selected: int,
    title: str,
    body: list[ft.Control],
    actions: list[ft.Control] | None = None,
    on_retry: Callable[[], Any] | None = None,
) -> ft.View:
    """A top-level screen: the same frame on every destination. Every destination can be
    refreshed (a browser has no pull to refresh): by `on_retry`, else by syncing now."""
    window, page = use_window(), ft.context.page
    use_trail()
    padded = reading_area([WindowBanners(), *body])

    def sync_now() -> None:
        page.run_task(window.sync_now)

    refresh = ft.IconButton(
        ft.Icons.REFRESH, tooltip=tr(ui.locale, "refresh"), on_click=on_retry or sync_now
    )
    appbar = ft.AppBar(title=ft.Text(title), actions=[*(actions or []), refresh])
    if ui.narrow:
        return ft.View(
            route=ft.use_view_path(),
            appbar=appbar,
            bottom_appbar=ft.BottomAppBar(
                padding=ft.Padding.symmetric(horizontal=8), content=WindowNavigation(selected)
            ),
            controls=[padded],
            padding=0,
        )
    return ft.View(
        route=ft.use_view_path(),
        appbar=appbar,
        padding=0,
        controls=[
            ft.Row(
                [WindowNavigation(selected), ft.VerticalDivider(width=1), padded],
                expand=True,
                vertical_alignment=ft.CrossAxisAlignment.START,
            )
        ],
    )


def detail_view(
    *, title: str, body: list[ft.Control], actions: list[ft.Control] | None = None
) -> ft.View:
    """A screen opened from another (an incident, an article): back arrow, no navigation."""
    use_trail()
    return ft.View(
        route=ft.use_view_path(),
        appbar=ft.AppBar(title=ft.Text(title), actions=actions),
        controls=[reading_area([WindowBanners(), *body])],
        padding=0,
    )


def missing_view(
    ui: UiState, *, title_key: str, message_key: str, back_key: str, back_to: str
) -> ft.View:
    """An item this device does not hold (a deep link to it, say), with the way back."""
    page = ft.context.page
    return detail_view(
        title=tr(ui.locale, title_key),
        body=[
            ft.Text(tr(ui.locale, message_key)),
            ft.TextButton(tr(ui.locale, back_key), on_click=lambda: page.navigate(back_to)),
        ],
    )
