"""What stands above every screen: the storage and offline banners, and the latest live
update with the way to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.state.notices import NoticesState
from app.state.storage import StorageState
from app.state.sync import SyncState
from app.state.window import UiState, WindowState
from app.views.context import use_window
from app.views.strings import tr
from app.views.theme import WARNING


def banner(tint: ft.ColorValue, controls: list[ft.Control], key: str) -> ft.Container:
    """A line above the screen on a tint of `tint`. A row that wraps, with no expanding
    child: Flutter's accessibility tree keeps up with it as it comes and goes (an
    expanded text left a stale node behind)."""
    return ft.Container(
        bgcolor=tint,
        border_radius=8,
        padding=ft.Padding.symmetric(horizontal=12, vertical=8),
        content=ft.Row(controls, wrap=True, vertical_alignment=ft.CrossAxisAlignment.CENTER),
        key=key,
    )


def offline_banner(
    ui: UiState, sync: SyncState, on_retry: Callable[[], Any] | None
) -> ft.Control | None:
    if not sync.offline:
        return None
    return banner(
        ft.Colors.with_opacity(0.14, ft.Colors.AMBER),
        [
            ft.Icon(ft.Icons.CLOUD_OFF, color=WARNING),
            ft.Text(tr(ui.locale, "offline")),
            ft.TextButton(tr(ui.locale, "retry"), on_click=on_retry),
        ],
        "offline-banner",
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
    icon = STORAGE_ICONS.get(storage.problem, ft.Icons.STORAGE)
    return banner(
        ft.Colors.with_opacity(0.12, ft.Colors.ERROR),
        [
            ft.Icon(icon, color=ft.Colors.ERROR),
            ft.Text(tr(ui.locale, f"storage_{storage.problem}", folder=storage.folder)),
        ],
        "storage-banner",
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
def WindowBanners() -> ft.Control:
    window = use_window()
    return Banners(window, window.notices, window.sync, window.storage, window.ui)
