"""The frame around every top-level screen: app bar, the offline and storage banners, and
navigation (a bottom bar on phones, a rail on wider windows)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.state.navigation import NavigationHistory
from app.state.notices import NoticesState
from app.state.storage import StorageState
from app.state.sync import SyncState
from app.state.window import UiState, WindowState
from app.views.context import use_window
from app.views.layout import reading_area
from app.views.strings import tr
from app.views.theme import WARNING

DESTINATIONS = [
    ("nav_status", ft.Icons.MONITOR_HEART_OUTLINED, ft.Icons.MONITOR_HEART, "/status"),
    ("nav_help", ft.Icons.HELP_OUTLINE, ft.Icons.HELP, "/help"),
    ("nav_callbacks", ft.Icons.PHONE_CALLBACK_OUTLINED, ft.Icons.PHONE_CALLBACK, "/callbacks"),
    ("nav_cases", ft.Icons.FORUM_OUTLINED, ft.Icons.FORUM, "/cases"),
    ("nav_account", ft.Icons.PERSON_OUTLINE, ft.Icons.PERSON, "/account"),
]
ACCOUNT = 4


def offline_banner(
    ui: UiState, sync: SyncState, on_retry: Callable[[], Any] | None
) -> ft.Control | None:
    if not sync.offline:
        return None
    return ft.Container(
        bgcolor=ft.Colors.with_opacity(0.14, ft.Colors.AMBER),
        border_radius=8,
        padding=ft.Padding.symmetric(horizontal=12, vertical=8),
        # A row that wraps, with no expanding child: Flutter's accessibility tree keeps
        # up with it as it comes and goes (an expanded text left a stale node behind).
        content=ft.Row(
            [
                ft.Icon(ft.Icons.CLOUD_OFF, color=WARNING),
                ft.Text(tr(ui.locale, "offline")),
                ft.TextButton(tr(ui.locale, "retry"), on_click=on_retry),
            ],
            wrap=True,
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        key="offline-banner",
    )


STORAGE_ICONS = {
    "full": ft.Icons.SD_CARD_ALERT,
    "read_only": ft.Icons.EDIT_OFF,
    "unavailable": ft.Icons.FOLDER_OFF,
}


def storage_banner(ui: UiState, storage: StorageState) -> ft.Control | None:
    """The device refuses writes (full, read-only) or no store could be opened: say so,
    above what the app still shows from what it saved."""
    if storage.problem is None:
        return None
    return ft.Container(
        bgcolor=ft.Colors.with_opacity(0.12, ft.Colors.ERROR),
        border_radius=8,
        padding=ft.Padding.symmetric(horizontal=12, vertical=8),
        # Built like the offline banner: a wrapping row with no expanding child.
        content=ft.Row(
            [
                ft.Icon(
                    STORAGE_ICONS.get(storage.problem, ft.Icons.STORAGE), color=ft.Colors.ERROR
                ),
                ft.Text(tr(ui.locale, f"storage_{storage.problem}", folder=storage.folder)),
            ],
            wrap=True,
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        key="storage-banner",
    )


def notice_card(notices: NoticesState, ui: UiState, route: str) -> ft.Control | None:
    """The latest live update: what happened, a way to it, and a way to put it away."""
    latest = notices.banner_for(route)
    if latest is None:
        return None
    page = ft.context.page

    def open_it() -> None:
        notices.dismiss(latest.key)
        page.navigate(latest.route)

    return ft.Container(
        bgcolor=ft.Colors.with_opacity(0.10, ft.Colors.PRIMARY),
        border=ft.Border.all(1, ft.Colors.PRIMARY),
        border_radius=12,
        padding=12,
        content=ft.Column(
            [
                ft.Row(
                    [
                        ft.Icon(ft.Icons.NOTIFICATIONS_ACTIVE, color=ft.Colors.PRIMARY),
                        ft.Text(latest.title, weight=ft.FontWeight.BOLD),
                    ],
                    wrap=True,
                ),
                ft.Text(latest.body, max_lines=3, overflow=ft.TextOverflow.ELLIPSIS),
                ft.Row(
                    [
                        ft.TextButton(tr(ui.locale, "view_update"), on_click=open_it),
                        ft.TextButton(
                            tr(ui.locale, "dismiss"), on_click=lambda: notices.dismiss(latest.key)
                        ),
                    ],
                    wrap=True,
                ),
            ],
            spacing=4,
        ),
    )


@ft.component
def Banners(
    window: WindowState,
    notices: NoticesState,
    sync: SyncState,
    storage: StorageState,
    ui: UiState,
) -> ft.Control:
    """The storage and offline banners and the latest live update, above every screen."""
    page = ft.context.page
    # The screen on show: a live update seen on one screen does not follow to the next.
    route = ft.use_route_location()
    ft.use_effect(lambda: notices.visit(route), dependencies=[route])
    shown = [
        storage_banner(ui, storage),
        offline_banner(ui, sync, lambda: page.run_task(window.sync_now)),
        notice_card(notices, ui, route),
    ]
    return ft.Column(
        [c for c in shown if c is not None],
        spacing=8,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


@ft.component
def SessionBanners() -> ft.Control:
    window = use_window()
    return Banners(window, window.notices, window.sync, window.storage, window.ui)


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
def SessionNavigation(selected: int) -> ft.Control:
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
    """A top-level screen: the same frame on every destination."""
    use_trail()
    padded = reading_area([SessionBanners(), *body])
    # Every destination can be refreshed (a browser has no pull to refresh).
    refresh = (
        [ft.IconButton(ft.Icons.REFRESH, tooltip=tr(ui.locale, "refresh"), on_click=on_retry)]
        if on_retry
        else []
    )
    appbar = ft.AppBar(title=ft.Text(title), actions=[*(actions or []), *refresh])
    if ui.narrow:
        return ft.View(
            route=ft.use_view_path(),
            appbar=appbar,
            bottom_appbar=ft.BottomAppBar(
                padding=ft.Padding.symmetric(horizontal=8), content=SessionNavigation(selected)
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
                [SessionNavigation(selected), ft.VerticalDivider(width=1), padded],
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
        controls=[reading_area([SessionBanners(), *body])],
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
