"""Account and settings: sign in with an emailed code, sign out, where you're signed in,
the sync panel, language and theme."""

from __future__ import annotations

import flet as ft

from app.schemas.customers import SIGN_IN_CODE_DIGITS
from app.state.account import AccountState
from app.state.session import Session, UiState
from app.state.sessions import SessionsState
from app.state.sync import SyncState
from app.views.alerts_panel import AlertsPanel
from app.views.context import use_session
from app.views.device_panel import DevicePanel
from app.views.sessions_panel import SessionsPanel
from app.views.shell import ACCOUNT, shell
from app.views.strings import tr, when
from app.views.theme import GOOD, WARNING, apply_theme
from app.views.widgets import named_dropdown
from app.views.your_data import YourData, erased_notice

LANGUAGES = {"en": "English", "es": "Español"}


def error_text(ui: UiState, account: AccountState) -> list[ft.Control]:
    if not account.error:
        return []
    return [ft.Text(tr(ui.locale, f"error_{account.error}"), color=ft.Colors.ERROR)]


@ft.component
def SignInPanel(session: Session, account: AccountState, ui: UiState) -> ft.Control:
    page = ft.context.page
    # Served in a browser: the hub's sign-in limits count that browser, not this server.
    browser = page.client_ip if page.web else None

    async def send_code(email: str) -> None:
        await account.send_code(email, browser)

    async def verify(code: str) -> None:
        await account.verify(code, browser)
        if account.customer is None:
            return
        await session.signed_in_or_out()
        if account.return_to:
            destination, account.return_to = account.return_to, None
            page.navigate(destination)

    # Fields kept across re-renders, so nothing typed is overwritten (see HelpScreen).
    # They are never changed after creation: a rendered control is frozen, and changing
    # one stops the window from updating at all.
    email = ft.use_memo(
        lambda: ft.TextField(
            label=tr(ui.locale, "email_label"),
            keyboard_type=ft.KeyboardType.EMAIL,
            on_submit=lambda e: page.run_task(send_code, e.control.value or ""),
        ),
        dependencies=[ui.locale],
    )
    code = ft.use_memo(
        lambda: ft.TextField(
            label=tr(ui.locale, "code_label"),
            max_length=SIGN_IN_CODE_DIGITS,
            keyboard_type=ft.KeyboardType.NUMBER,
            on_submit=lambda e: page.run_task(verify, e.control.value or ""),
        ),
        dependencies=[ui.locale],
    )
    busy = [ft.ProgressRing(width=20, height=20, stroke_width=2)] if account.busy else []
    if account.step == "email":
        send = ft.FilledButton(
            tr(ui.locale, "send_code"),
            disabled=account.busy,
            on_click=lambda: page.run_task(send_code, email.value or ""),
        )
        return ft.Column(
            [
                ft.Text(tr(ui.locale, "sign_in_title"), theme_style=ft.TextThemeStyle.TITLE_MEDIUM),
                email,
                *error_text(ui, account),
                ft.Row([send, *busy]),
            ],
            spacing=12,
        )
    verify_button = ft.FilledButton(
        tr(ui.locale, "sign_in"),
        disabled=account.busy,
        on_click=lambda: page.run_task(verify, code.value or ""),
    )
    return ft.Column(
        [
            ft.Text(tr(ui.locale, "code_sent", email=account.email, digits=SIGN_IN_CODE_DIGITS)),
            code,
            *error_text(ui, account),
            ft.Row(
                [
                    verify_button,
                    ft.TextButton(tr(ui.locale, "other_email"), on_click=account.use_another_email),
                    *busy,
                ],
                wrap=True,
            ),
        ],
        spacing=12,
    )


@ft.component
def SignedInPanel(session: Session, account: AccountState, ui: UiState) -> ft.Control:
    page = ft.context.page

    async def sign_out(confirmed: bool) -> None:
        await account.sign_out(confirmed=confirmed)
        if account.customer is None:
            await session.signed_in_or_out()

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
            ft.Text(tr(ui.locale, "sign_out_unsent", count=account.unsent), color=ft.Colors.ERROR),
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


def sync_panel(session: Session, sync: SyncState, ui: UiState) -> ft.Control:
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
                        tr(ui.locale, "last_updated", when=when(ui.locale, sync.last_synced))
                        if sync.last_synced
                        else tr(ui.locale, "never_updated")
                    ),
                    ft.Text(tr(ui.locale, "pending_changes", count=sync.pending)),
                    ft.Text(tr(ui.locale, "failed_changes", count=sync.failed)),
                    ft.Row(
                        [
                            ft.FilledTonalButton(
                                tr(ui.locale, "sync_now"),
                                icon=ft.Icons.SYNC,
                                disabled=sync.syncing,
                                on_click=lambda: page.run_task(session.sync_now),
                            ),
                            *(
                                [ft.ProgressRing(width=20, height=20, stroke_width=2)]
                                if sync.syncing
                                else []
                            ),
                        ]
                    ),
                ],
                spacing=8,
            ),
            padding=16,
        )
    )


def preferences(session: Session, ui: UiState) -> ft.Control:
    page = ft.context.page

    async def set_theme(mode: str) -> None:
        await session.set_theme(mode)
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
                    on_select=lambda e: page.run_task(session.set_locale, e.control.value or "en"),
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
    )


@ft.component
def AccountScreen(session: Session, account: AccountState, sync: SyncState, ui: UiState) -> ft.View:
    page = ft.context.page
    # The sign-ins of whoever is signed in, asked of the hub again for each new customer.
    signed_in = account.customer.id if account.customer else None
    sign_ins = ft.use_memo(lambda: SessionsState(session.services), dependencies=[signed_in])
    body: list[ft.Control] = []
    if sync.needs_sign_in and account.customer is None:
        body.append(ft.Text(tr(ui.locale, "sign_in_again"), color=ft.Colors.ERROR))
    body.append(
        SignedInPanel(session, account, ui)
        if account.customer
        else SignInPanel(session, account, ui)
    )
    body.append(AlertsPanel(session, session.alerts, ui))
    body.append(DevicePanel(session.alerts, ui))
    if account.customer is not None:
        body.append(SessionsPanel(sign_ins, ui))
        body.append(YourData(session, account, ui))
    elif account.erased:
        body.insert(0, erased_notice(ui))
    body += [sync_panel(session, sync, ui), preferences(session, ui)]
    return shell(
        ui=ui,
        selected=ACCOUNT,
        title=tr(ui.locale, "nav_account"),
        body=body,
        on_retry=lambda: page.run_task(session.sync_now),
    )


@ft.component
def AccountRoute() -> ft.View:
    session = use_session()
    return AccountScreen(session, session.account, session.sync, session.ui)
