"""The Account screen's "This device": what Careline can do where it runs (installed from
the browser or not; on iOS, alerts only for an app added to the Home Screen), and in a
browser, alerts that reach the device while the app is closed."""

from __future__ import annotations

from urllib.parse import urlencode

import flet as ft

from app.state.alerts import AlertsState
from app.state.window import UiState
from app.views.strings import tr
from app.views.widgets import heading


def device_text(ui: UiState) -> str:
    """Which of the device strings applies to this window."""
    if not ui.web:
        return "device_phone" if ui.phone else "device_desktop"
    if ui.installed:
        return "device_installed"
    return "device_ios_home_screen" if ui.ios else "device_installable"


def alerts_address(ui: UiState) -> str:
    """The page that turns alerts on or off, coming back to Account."""
    return "/careline/alerts?" + urlencode({"lang": ui.locale, "back": "/account"})


@ft.component
def DevicePanel(alerts: AlertsState, ui: UiState) -> ft.Control:
    async def open_alerts() -> None:
        # Flet cannot run the browser's push code: a page of Careline's own does.
        await ft.UrlLauncher().launch_url(alerts_address(ui), web_only_window_name="_self")

    rows: list[ft.Control] = [
        heading(ui, "device_title"),
        ft.Row(
            [
                ft.Icon(ft.Icons.INSTALL_MOBILE if ui.web or ui.phone else ft.Icons.COMPUTER),
                ft.Text(tr(ui.locale, device_text(ui)), expand=True),
            ]
        ),
    ]
    if ui.web:
        on = alerts.on_this_device
        rows += [
            ft.Row(
                [
                    ft.Icon(ft.Icons.NOTIFICATIONS_ACTIVE if on else ft.Icons.NOTIFICATIONS_OFF),
                    ft.Text(
                        tr(ui.locale, "device_alerts_on" if on else "device_alerts_off"),
                        expand=True,
                    ),
                ]
            ),
            ft.OutlinedButton(
                tr(ui.locale, "device_alerts_button"),
                icon=ft.Icons.NOTIFICATIONS,
                on_click=open_alerts,
            ),
        ]
    return ft.Column(rows, spacing=8)
