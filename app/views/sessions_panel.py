"""The Account screen's "Where you're signed in": each sign-in (device, when it signed in,
when it was last used, this device marked), signing one out, and signing out everywhere
else."""

from __future__ import annotations

from datetime import tzinfo

import flet as ft

from app.schemas.sessions import SignIn
from app.state.sessions import SessionsState
from app.state.window import UiState
from app.views.plurals import trn
from app.views.strings import tr, when
from app.views.widgets import busy_row, error_line, heading

# What a User-Agent names, in the order to look for it (Chrome's names Safari too, Edge's
# and Opera's name Chrome).
SYSTEMS = [
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Darwin", "macOS"),
    ("Macintosh", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]
BROWSERS = [
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
PHONES = {"iPhone", "iPad", "Android"}
LONGEST_RAW = 60


def _first(device: str, names: list[tuple[str, str]]) -> str | None:
    return next((name for mark, name in names if mark in device), None)


def device_label(locale: str, device: str | None) -> str:
    """A sign-in's device in words: "Careline app on Linux", "Firefox on Android", or
    what the device sent, shortened, when it names no known browser and system."""
    if not device:
        return tr(locale, "session_unknown_device")
    system = _first(device, SYSTEMS)
    if device.startswith("careline-app/"):
        return tr(locale, "session_app_on", system=system or "?")
    browser = _first(device, BROWSERS)
    if browser and system:
        return tr(locale, "session_browser_on", browser=browser, system=system)
    return device if len(device) <= LONGEST_RAW else device[: LONGEST_RAW - 1] + "…"


def device_icon(device: str | None) -> ft.IconData:
    system = _first(device or "", SYSTEMS)
    if system in PHONES:
        return ft.Icons.PHONE_ANDROID
    return ft.Icons.COMPUTER if system else ft.Icons.DEVICES_OTHER


def session_lines(locale: str, item: SignIn, zone: tzinfo | None) -> tuple[str, str]:
    """The two lines a sign-in shows: its device (and "This device"), and its times (in
    the customer's `zone`)."""
    title = device_label(locale, item.device)
    if item.current:
        title = f"{title} · {tr(locale, 'session_this_device')}"
    used = item.last_used_at or item.created_at
    created = when(locale, item.created_at, zone)
    detail = tr(locale, "session_detail", created=created, used=when(locale, used, zone))
    return title, detail


def session_row(state: SessionsState, ui: UiState, item: SignIn) -> ft.Control:
    page = ft.context.page
    title, detail = session_lines(ui.locale, item, ui.zone)
    action: list[ft.Control] = []
    if not item.current:
        action.append(
            ft.TextButton(
                tr(ui.locale, "session_sign_out"),
                disabled=state.busy,
                on_click=lambda: page.run_task(state.end, item.id),
            )
        )
    # The button under the lines, not beside them: beside, on a phone, a long label
    # ("Cerrar este inicio de sesión") left the device and times a word per line.
    return ft.Row(
        [
            ft.Icon(device_icon(item.device)),
            ft.Column(
                [
                    ft.Text(title, weight=ft.FontWeight.BOLD if item.current else None),
                    ft.Text(detail, size=12),
                    *action,
                ],
                spacing=2,
                expand=True,
            ),
        ]
    )


@ft.component
def SessionsPanel(state: SessionsState, ui: UiState) -> ft.Control:
    page = ft.context.page
    ft.use_effect(lambda: page.run_task(state.load), dependencies=[])
    controls: list[ft.Control] = [
        heading(ui, "sessions_title"),
        ft.Text(tr(ui.locale, "sessions_intro"), size=13),
        *(session_row(state, ui, item) for item in state.items),
    ]
    if state.loaded and not state.others:
        controls.append(ft.Text(tr(ui.locale, "sessions_only_here")))
    if state.ended is not None:
        controls.append(ft.Text(trn(ui.locale, "sessions_ended", state.ended)))
    controls += error_line(ui, state.error)
    buttons: list[ft.Control] = []
    if state.others:
        buttons.append(
            ft.OutlinedButton(
                tr(ui.locale, "sessions_end_others"),
                icon=ft.Icons.LOGOUT,
                disabled=state.busy,
                on_click=lambda: page.run_task(state.end_others),
            )
        )
    buttons.append(
        ft.TextButton(
            tr(ui.locale, "sessions_refresh"),
            icon=ft.Icons.REFRESH,
            disabled=state.busy,
            on_click=lambda: page.run_task(state.load),
        )
    )
    controls.append(busy_row(buttons, state.busy, wrap=True))
    return ft.Card(ft.Container(ft.Column(controls, spacing=8), padding=16))
