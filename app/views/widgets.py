"""Small pieces several screens share: the sign-in prompt (and what needs it), a
confirmation, a change's sync marker, buttons with a spinner while busy,
a tinted box and error text (files: `app.views.files`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.schemas import Rejection
from app.schemas.booking import MAX_BOOKING_REF, BookingRefField
from app.schemas.sync import RejectionCode
from app.schemas.wording import CompanyWord, company_words
from app.state.account import AccountState
from app.state.notices import NoticesState, Shown
from app.state.window import UiState, WindowState
from app.views.strings import tr
from app.views.theme import WARNING

Handler = Callable[[], Any]


def company_tr(ui: UiState, word: CompanyWord) -> str:
    """A label that names the company's trade: its own words in the customer's language,
    else the app's generic ones (the catalog key is the word)."""
    return company_words(ui.wording, word, ui.locale) or tr(ui.locale, word.value)


def heading(ui: UiState, key: str, **values: object) -> ft.Text:
    return ft.Text(tr(ui.locale, key, **values), theme_style=ft.TextThemeStyle.TITLE_MEDIUM)


def error_line(ui: UiState, code: str | None, **values: object) -> list[ft.Control]:
    """The message for an error code (none when there is no error)."""
    if not code:
        return []
    return [ft.Text(tr(ui.locale, f"error_{code}", **values), color=ft.Colors.ERROR)]


def booking_ref_field(
    ui: UiState,
    field: BookingRefField,
    typed: dict[str, str],
    on_typed: Callable[[str], None] | None = None,
) -> ft.TextField:
    """The optional booking reference, named as the company names it; what is typed is
    kept in `typed['value']` (and put back if the field is made again) and handed to
    `on_typed` (a form's draft)."""

    def keep(e: ft.Event[ft.TextField]) -> None:
        typed["value"] = e.control.value or ""
        if on_typed is not None:
            on_typed(typed["value"])

    return ft.TextField(
        label=tr(ui.locale, "booking_ref_label", label=field.label_in(ui.locale)),
        hint_text=tr(ui.locale, "booking_ref_hint", example=field.example)
        if field.example
        else None,
        value=typed.get("value", ""),
        max_length=MAX_BOOKING_REF,
        capitalization=ft.TextCapitalization.CHARACTERS,
        on_change=keep,
    )


@ft.component
def BookingRefInput(
    field: BookingRefField | None,
    ui: UiState,
    error: str | None,
    typed: dict[str, str],
    on_typed: Callable[[str], None] | None = None,
) -> ft.Control:
    """The booking reference field and its inline error, when the company asks for one.
    A component of its own: the field appears once the company is known without moving
    the form's other fields."""
    control = ft.use_memo(
        lambda: booking_ref_field(ui, field, typed, on_typed) if field else None,
        dependencies=[ui.locale, field],
    )
    if control is None or field is None:
        return ft.Column([])
    label, example = field.label_in(ui.locale), field.example or field.pattern
    return ft.Column(
        [control, *error_line(ui, error, label=label, example=example)],
        spacing=4,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


def named_dropdown(dropdown: ft.Dropdown, label: str) -> ft.Control:
    """A dropdown that screen readers (and browser tests) find by its label: Flet 1.0's
    Dropdown exposes none of its own. In a row, so that the named node is as wide as the
    dropdown drawn (stretched across a column, a tap beside the dropdown would hit it)."""
    return ft.Row([ft.Semantics(content=dropdown, label=label, button=True, container=True)])


def status_chip(text: str, color: ft.ColorValue) -> ft.Control:
    """A small label for a status (a case's, a callback's): white on its colour."""
    return ft.Container(
        ft.Text(text, size=12, color=ft.Colors.WHITE, weight=ft.FontWeight.W_500),
        bgcolor=color,
        border_radius=12,
        padding=ft.Padding.symmetric(horizontal=8, vertical=2),
    )


def progress() -> ft.ProgressRing:
    return ft.ProgressRing(width=20, height=20, stroke_width=2)


def sign_in_prompt(window: WindowState, ui: UiState, key: str, return_to: str) -> ft.Control:
    """Cases and callbacks belong to a customer: ask them to sign in, then come back."""
    page = ft.context.page

    def sign_in() -> None:
        window.account.return_to = return_to
        window.history.detour()
        page.navigate("/account")

    return ft.Card(
        ft.Container(
            ft.Column(
                [
                    ft.Row(
                        [ft.Icon(ft.Icons.LOCK_OUTLINE), ft.Text(tr(ui.locale, key), expand=True)]
                    ),
                    ft.FilledButton(
                        tr(ui.locale, "sign_in"), icon=ft.Icons.LOGIN, on_click=sign_in
                    ),
                ],
                spacing=12,
            ),
            padding=16,
        )
    )


def signed_in_only(
    window: WindowState,
    account: AccountState,
    ui: UiState,
    key: str,
    return_to: str,
    content: Callable[[], list[ft.Control]],
) -> list[ft.Control]:
    """What only a signed-in customer sees (their cases and callbacks, the forms that
    make them): `content()`, or signed out, the prompt `key` to sign in and come back to
    `return_to`."""
    if account.customer is None:
        return [sign_in_prompt(window, ui, key, return_to)]
    return content()


def busy_row(buttons: list[ft.Control], busy: bool, *, wrap: bool = False) -> ft.Row:
    """Buttons, and beside them a small spinner while what they started runs."""
    return ft.Row([*buttons, *([progress()] if busy else [])], wrap=wrap)


def tinted_box(content: ft.Control, *, padding: float = 16) -> ft.Container:
    """An offer set apart from the screen on a light tint of the primary colour (articles
    that may answer a case, a follow-up to a closed case)."""
    return ft.Container(
        content,
        bgcolor=ft.Colors.with_opacity(0.08, ft.Colors.PRIMARY),
        border_radius=12,
        padding=padding,
    )


def confirm_box(
    *,
    question: str,
    keep: str,
    on_keep: Handler,
    act: str,
    on_act: Handler,
    busy: bool = False,
    key: str | None = None,
) -> ft.Control:
    """Asked once more before something that cannot be taken back (cancel a callback,
    close a case, erase the account): the filled, first button keeps things as they are;
    the one that does it is a plain button in the error colour."""
    return ft.Column(
        [
            ft.Text(question, color=ft.Colors.ERROR),
            ft.Row(
                [
                    ft.FilledButton(keep, on_click=on_keep),
                    ft.TextButton(
                        act,
                        on_click=on_act,
                        disabled=busy,
                        style=ft.ButtonStyle(color=ft.Colors.ERROR),
                    ),
                ],
                wrap=True,
            ),
        ],
        spacing=8,
        key=key,
    )


def rejection_reason(locale: str, error: Rejection) -> str:
    """Why the hub refused a change, in the customer's language: the app's words for its
    code (`rejection_<code>`, or `rejection_<code>_<param names>` when it has specifics,
    filled in); the hub's own words for a code this app does not know (a newer hub)."""
    if error.code not in set(RejectionCode):
        return error.detail
    name = "_".join((error.code, *sorted(error.params)))
    try:
        text = tr(locale, f"rejection_{name}", **error.params)
    except (KeyError, TypeError, ValueError):  # specifics this app's words do not take
        return error.detail
    return error.detail if text == f"rejection_{name}" else text


def sync_marker(ui: UiState, sync_state: str, error: Rejection | None) -> list[ft.Control]:
    """'Waiting to be sent' for a queued change, the hub's reason for a refused one."""
    if sync_state in ("pending", "queued"):
        return [
            ft.Row(
                [
                    ft.Icon(ft.Icons.SCHEDULE_SEND, size=16, color=WARNING),
                    ft.Text(tr(ui.locale, "waiting_to_send"), size=13, expand=True),
                ],
                spacing=6,
            )
        ]
    if error is not None and sync_state in ("rejected", "failed"):
        return [
            ft.Row(
                [
                    ft.Icon(ft.Icons.ERROR_OUTLINE, size=16, color=ft.Colors.ERROR),
                    ft.Text(
                        tr(ui.locale, "not_accepted", reason=rejection_reason(ui.locale, error)),
                        size=13,
                        color=ft.Colors.ERROR,
                        expand=True,
                    ),
                ],
                spacing=6,
            )
        ]
    return []


def use_showing(notices: NoticesState, item: str | Shown | None) -> None:
    """While this screen shows `item` (its route, or what knows its route as it changes),
    its live updates get no banner (the screen itself changes)."""

    def show() -> None:
        notices.show(item)

    def hide() -> None:
        if notices.shown == item:
            notices.show(None)

    ft.use_effect(show, dependencies=[item], cleanup=hide)
