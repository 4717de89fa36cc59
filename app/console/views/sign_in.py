"""Signing in to the console: email, then the 8-digit code the hub emailed (in dev mode
`python -m app.backend auth codes` shows it). What went wrong is said in words, and the
fields keep what was typed."""

from __future__ import annotations

import flet as ft

from app.console.state.console import ConsoleUi
from app.console.state.errors import Failure
from app.console.state.session import SessionState
from app.console.strings import tr
from app.schemas.customers import SIGN_IN_CODE_DIGITS


def failure_text(locale: str, error: Failure | None) -> list[ft.Control]:
    """A failed call in words, with the hub's reason when it gave one."""
    if error is None:
        return []
    text = tr(locale, f"error_{error.code}")
    if error.detail and error.code in ("invalid", "forbidden", "rate_limited", "not_found"):
        text = f"{text} ({error.detail})"
    return [ft.Text(text, color=ft.Colors.ERROR)]


@ft.component
def SignInView(session: SessionState, ui: ConsoleUi) -> ft.View:
    page, locale = ft.context.page, ui.locale
    # Kept across re-renders so what was typed stays; never changed once drawn.
    email = ft.use_memo(
        lambda: ft.TextField(
            label=tr(locale, "email_label"),
            keyboard_type=ft.KeyboardType.EMAIL,
            autofocus=True,
            key="console-email",
            on_submit=lambda e: page.run_task(session.start, e.control.value or ""),
        ),
        dependencies=[locale],
    )
    code = ft.use_memo(
        lambda: ft.TextField(
            label=tr(locale, "code_label"),
            max_length=SIGN_IN_CODE_DIGITS,
            keyboard_type=ft.KeyboardType.NUMBER,
            key="console-code",
            on_submit=lambda e: page.run_task(session.verify, e.control.value or ""),
        ),
        dependencies=[locale],
    )
    busy = [ft.ProgressRing(width=20, height=20, stroke_width=2)] if session.busy else []
    notice = (
        [ft.Text(tr(locale, f"notice_{session.notice}"), color=ft.Colors.PRIMARY)]
        if session.notice
        else []
    )
    if session.step == "email":
        step: list[ft.Control] = [
            email,
            *failure_text(locale, session.error),
            ft.Row(
                [
                    ft.FilledButton(
                        tr(locale, "send_code"),
                        disabled=session.busy,
                        on_click=lambda: page.run_task(session.start, email.value or ""),
                    ),
                    *busy,
                ]
            ),
        ]
    else:
        step = [
            ft.Text(tr(locale, "code_sent", email=session.email, digits=SIGN_IN_CODE_DIGITS)),
            code,
            *failure_text(locale, session.error),
            ft.Row(
                [
                    ft.FilledButton(
                        tr(locale, "sign_in"),
                        disabled=session.busy,
                        on_click=lambda: page.run_task(session.verify, code.value or ""),
                    ),
                    ft.TextButton(tr(locale, "other_email"), on_click=session.use_another_email),
                    *busy,
                ],
                wrap=True,
            ),
        ]
    return ft.View(
        route=ft.use_view_path(),
        appbar=ft.AppBar(title=ft.Text(tr(locale, "console_title"))),
        vertical_alignment=ft.MainAxisAlignment.CENTER,
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        controls=[
            ft.Container(
                width=420,
                content=ft.Column(
                    [
                        ft.Text(
                            tr(locale, "sign_in_title"), theme_style=ft.TextThemeStyle.TITLE_LARGE
                        ),
                        *notice,
                        *step,
                    ],
                    spacing=12,
                    horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
                ),
            )
        ],
    )
