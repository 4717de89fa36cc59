"""The Account screen's "This device": what Careline can do where it runs (installed from
the browser or not; on iOS, alerts only for an app added to the Home Screen)."""

from __future__ import annotations

import flet as ft

from app.state.session import UiState
from app.views.strings import tr
from app.views.widgets import heading


def device_text(ui: UiState) -> str:
    """Which of the device strings applies to this window."""
    if not ui.web:
        return "device_desktop"
    if ui.installed:
        return "device_installed"
    return "device_ios_home_screen" if ui.ios else "device_installable"


def device_panel(ui: UiState) -> ft.Control:
    return ft.Column(
        [
            heading(ui, "device_title"),
            ft.Row(
                [
                    ft.Icon(ft.Icons.INSTALL_MOBILE if ui.web else ft.Icons.COMPUTER),
                    ft.Text(tr(ui.locale, device_text(ui)), expand=True),
                ]
            ),
        ],
        spacing=8,
    )
