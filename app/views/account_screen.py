"""Account and settings: sign in (sign_in_panel.py), sign out, where you're signed in,
the connection and what is sent, language and theme."""

from __future__ import annotations

import flet as ft

from app.state.account import AccountState
from app.state.sessions import SessionsState
from app.state.sync import SyncState
from app.state.window import UiState, WindowState
from app.views.alerts_panel import AlertsPanel
from app.views.context import use_window
from app.views.device_panel import DevicePanel
from app.views.plurals import trn
from app.views.sessions_panel import SessionsPanel
from app.views.shell import ACCOUNT, shell
from app.views.sign_in_panel import SignInPanel
from app.views.strings import LANGUAGES, tr, when
from app.views.theme import GOOD, WARNING, apply_theme
from app.views.widgets import busy_row, named_dropdown
from app.views.your_data import YourData, erased_notice


@ft.component
def SignedInPanel(window: WindowState, account: AccountState, ui: UiState) -> ft.Control:
    page = ft.context.page

    async def sign_out(confirmed: bool) -> None:
        await account.sign_out(confirmed=confirmed)
        if account.customer is None:
            await window.signed_in_or_out()

    if account.customer is None:
        # Signed out a moment ago: this panel may redraw once before the screen drops it
        # (an exception here would stop the window from updating).
        return ft.Column([])
    controls: list[ft.Control] = [
        ft.Row(
            [
                ft.Icon(ft.Icons.ACCOUNT_CIRCLE),
                ft.Text(tr(ui.locale, "signed_in_as", email=account.customer.email), expand=True),
            ]
        ),
    ]
    if account.confirm_sign_out:
        controls += [
            ft.Text(trn(ui.locale, "sign_out_unsent", account.unsent), color=ft.Colors.ERROR),
            ft.Row(
                [
                    ft.FilledButton(
                        tr(ui.locale, "keep_signed_in"),
                        on_click=lambda: setattr(account, "confirm_sign_out", False),
                    ),
                    ft.OutlinedButton(
                        tr(ui.locale, "sign_out_anyway"),
                        on_click=lambda: page.run_task(sign_out, True),
                    ),
                ],
                wrap=True,
            ),
        ]
    else:
        controls.append(
            ft.OutlinedButton(
                tr(ui.locale, "sign_out"),
                icon=ft.Icons.LOGOUT,
                on_click=lambda: page.run_task(sign_out, False),
            )
        )
    return ft.Column(controls, spacing=12)


def changes_lines(sync: SyncState, ui: UiState) -> list[ft.Control]:
    """What became of the customer's changes, in their words: all sent, or how many wait,
    and how many were not accepted."""
    lines: list[ft.Control] = []
    if sync.pending:
        lines.append(ft.Text(trn(ui.locale, "changes_waiting", sync.pending)))
    if sync.failed:
        lines.append(ft.Text(trn(ui.locale, "changes_refused", sync.failed), color=ft.Colors.ERROR))
    if not lines:
        lines.append(
            ft.Row([ft.Icon(ft.Icons.DONE_ALL, color=GOOD), ft.Text(tr(ui.locale, "all_sent"))])
        )
    return lines


def sync_panel(window: WindowState, sync: SyncState, ui: UiState) -> ft.Control:
    page = ft.context.page
    online = sync.online is not False
    return ft.Card(
        ft.Container(
            ft.Column(
                [
                    ft.Text(
                        tr(ui.locale, "sync_title"), theme_style=ft.TextThemeStyle.TITLE_MEDIUM
                    ),
                    ft.Row(
                        [
                            ft.Icon(
                                ft.Icons.CLOUD_DONE if online else ft.Icons.CLOUD_OFF,
                                color=GOOD if online else WARNING,
                            ),
                            ft.Text(tr(ui.locale, "online" if online else "offline_short")),
                        ]
                    ),
                    ft.Text(
                        tr(
                            ui.locale,
                            "last_updated",
                            when=when(ui.locale, sync.last_synced, ui.zone),
                        )
                        if sync.last_synced
                        else tr(ui.locale, "never_updated")
                    ),
                    *changes_lines(sync, ui),
                    busy_row(
                        [
                            ft.FilledTonalButton(
                                tr(ui.locale, "sync_now"),
                                icon=ft.Icons.SYNC,
                                disabled=sync.syncing,
                                on_click=lambda: page.run_task(window.sync_now),
                            )
                        ],
                        sync.syncing,
                    ),
                ],
                spacing=8,
            ),
            padding=16,
        )
    )


def preferences(window: WindowState, ui: UiState) -> ft.Control:
    page = ft.context.page

    async def set_theme(mode: str) -> None:
        await window.set_theme(mode)
        apply_theme(page, mode)
        page.update()

    return ft.Column(
        [
            ft.Text(tr(ui.locale, "preferences"), theme_style=ft.TextThemeStyle.TITLE_MEDIUM),
            named_dropdown(
                ft.Dropdown(
                    label=tr(ui.locale, "language"),
                    value=ui.locale,
                    options=[ft.DropdownOption(key=k, text=v) for k, v in LANGUAGES.items()],
                    on_select=lambda e: page.run_task(window.set_locale, e.control.value or "en"),
                ),
                tr(ui.locale, "language"),
            ),
            named_dropdown(
                ft.Dropdown(
                    label=tr(ui.locale, "theme"),
                    value=ui.theme,
                    options=[
                        ft.DropdownOption(key=k, text=tr(ui.locale, f"theme_{k}"))
                        for k in ("system", "light", "dark")
                    ],
                    on_select=lambda e: page.run_task(set_theme, e.control.value or "system"),
                ),
                tr(ui.locale, "theme"),
            ),
        ],
        spacing=12,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


@ft.component
def AccountScreen(
    window: WindowState, account: AccountState, sync: SyncState, ui: UiState
) -> ft.View:
    # The sign-ins of whoever is signed in, asked of the hub again for each new customer.
    signed_in = account.customer.id if account.customer else None
    sign_ins = ft.use_memo(lambda: SessionsState(window.runtime), dependencies=[signed_in])
    body: list[ft.Control] = []
    if sync.needs_sign_in and account.customer is None:
        body.append(ft.Text(tr(ui.locale, "sign_in_again"), color=ft.Colors.ERROR))
    body.append(
        SignedInPanel(window, account, ui) if account.customer else SignInPanel(window, account, ui)
    )
    body.append(AlertsPanel(window, window.alerts, ui))
    body.append(DevicePanel(window.alerts, ui))
    if account.customer is not None:
        body.append(SessionsPanel(sign_ins, ui))
        body.append(YourData(window, account, ui))
    elif account.erased:
        body.insert(0, erased_notice(ui))
    body += [sync_panel(window, sync, ui), preferences(window, ui)]
    return shell(ui=ui, selected=ACCOUNT, title=tr(ui.locale, "nav_account"), body=body)


@ft.component
def AccountRoute() -> ft.View:
    window = use_window()
    return AccountScreen(window, window.account, window.sync, window.ui)
