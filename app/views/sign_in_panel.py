"""Signing in with an emailed code: the email step, then the code step with a way to
ask for a new code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.schemas.customers import SIGN_IN_CODE_DIGITS
from app.state.account import AccountState
from app.state.window import UiState, WindowState
from app.views.plurals import trn
from app.views.strings import tr

Submit = Callable[[Any], Any]


def email_field(ui: UiState, on_submit: Submit) -> ft.TextField:
    """The email step's field: the email keyboard, and the address offered by autofill."""
    return ft.TextField(
        label=tr(ui.locale, "email_label"),
        keyboard_type=ft.KeyboardType.EMAIL,
        autofill_hints=ft.AutofillHint.EMAIL,
        key="sign-in-email",
        on_submit=on_submit,
    )


def code_field(ui: UiState, on_submit: Submit) -> ft.TextField:
    """The code step's field: the numeric keypad, and the code offered from the message
    it came in (one-time-code autofill)."""
    return ft.TextField(
        label=tr(ui.locale, "code_label"),
        max_length=SIGN_IN_CODE_DIGITS,
        keyboard_type=ft.KeyboardType.NUMBER,
        autofill_hints=ft.AutofillHint.ONE_TIME_CODE,
        # Its own key: the browser then makes a new input for it rather than reuse the
        # email field's, which would keep the email's autofill name.
        key="sign-in-code",
        on_submit=on_submit,
    )


def error_text(ui: UiState, account: AccountState) -> list[ft.Control]:
    if not account.error:
        return []
    if account.error == "codes_wait":
        text = trn(ui.locale, "error_codes_wait", account.wait_minutes)
    else:
        text = tr(ui.locale, f"error_{account.error}")
    return [ft.Text(text, color=ft.Colors.ERROR)]


@ft.component
def SignInPanel(window: WindowState, account: AccountState, ui: UiState) -> ft.Control:
    page = ft.context.page
    # Served in a browser: the hub's sign-in limits count that browser, not this server.
    browser = page.client_ip if page.web else None

    async def send_code(email: str) -> None:
        await account.send_code(email, browser)

    async def send_new_code() -> None:
        await account.resend_code(browser)

    async def verify(code: str) -> None:
        await account.verify(code, browser)
        if account.customer is None:
            return
        await window.signed_in_or_out()
        if account.return_to:
            destination, account.return_to = account.return_to, None
            page.navigate(destination)

    # Fields kept across re-renders, so nothing typed is overwritten (see HelpScreen).
    # They are never changed after creation: a rendered control is frozen, and changing
    # one stops the window from updating at all.
    email = ft.use_memo(
        lambda: email_field(ui, lambda e: page.run_task(send_code, e.control.value or "")),
        dependencies=[ui.locale],
    )
    code = ft.use_memo(
        lambda: code_field(ui, lambda e: page.run_task(verify, e.control.value or "")),
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
            # Fields as wide as the column (a phone's full width).
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )
    verify_button = ft.FilledButton(
        tr(ui.locale, "sign_in"),
        disabled=account.busy,
        on_click=lambda: page.run_task(verify, code.value or ""),
    )
    sent = "code_resent" if account.resent else "code_sent"
    return ft.Column(
        [
            ft.Text(tr(ui.locale, sent, email=account.email, digits=SIGN_IN_CODE_DIGITS)),
            code,
            *error_text(ui, account),
            ft.Row(
                [
                    verify_button,
                    ft.TextButton(
                        tr(ui.locale, "send_new_code"),
                        icon=ft.Icons.REFRESH,
                        disabled=account.busy,
                        on_click=lambda: page.run_task(send_new_code),
                    ),
                    ft.TextButton(tr(ui.locale, "other_email"), on_click=account.use_another_email),
                    *busy,
                ],
                wrap=True,
            ),
        ],
        spacing=12,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
