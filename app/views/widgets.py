"""Small pieces several screens share: the sign-in prompt, a confirmation, a change's sync
marker, error text, picked-file chips and the file picker."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import flet as ft

from app.schemas import Rejection
from app.schemas.booking import MAX_BOOKING_REF, BookingRefField
from app.state.notices import NoticesState
from app.state.window import UiState, WindowState
from app.views.strings import tr
from app.views.theme import WARNING

Handler = Callable[[], Any]
FilesHandler = Callable[[list[tuple[str, bytes]]], Any]


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
                        tr(ui.locale, "not_accepted", reason=error.detail),
                        size=13,
                        color=ft.Colors.ERROR,
                        expand=True,
                    ),
                ],
                spacing=6,
            )
        ]
    return []


def file_chips(
    ui: UiState, names: list[str], on_remove: Callable[[int], Any] | None = None
) -> ft.Control:
    """Attached files by name; with `on_remove`, each can be taken off again."""
    if on_remove is None:
        return ft.Row(
            [
                ft.Container(
                    ft.Row([ft.Icon(ft.Icons.ATTACH_FILE, size=16), ft.Text(name)], tight=True),
                    border=ft.Border.all(1, ft.Colors.OUTLINE),
                    border_radius=8,
                    padding=ft.Padding.symmetric(horizontal=8, vertical=4),
                )
                for name in names
            ],
            wrap=True,
        )
    return ft.Row(
        [
            ft.Chip(
                label=ft.Text(name),
                leading=ft.Icon(ft.Icons.ATTACH_FILE),
                on_delete=lambda _, i=index: on_remove(i),
                delete_icon_tooltip=tr(ui.locale, "remove_file", name=name),
            )
            for index, name in enumerate(names)
        ],
        wrap=True,
    )


def file_errors(ui: UiState, errors: list[str]) -> list[ft.Control]:
    """Each refused file with its reason ('too_large:scan.pdf')."""
    lines: list[ft.Control] = []
    for item in errors:
        code, _, name = item.partition(":")
        lines.append(ft.Text(tr(ui.locale, f"file_{code}", name=name), color=ft.Colors.ERROR))
    return lines


async def read_picked(files: list[ft.FilePickerFile]) -> list[tuple[str, bytes]]:
    """Names and contents of picked files (the browser sends bytes; a desktop, a path)."""
    picked = []
    for file in files:
        data = file.bytes
        if data is None and file.path:
            data = await asyncio.to_thread(Path(file.path).read_bytes)
        picked.append((file.name, bytes(data or b"")))
    return picked


def use_file_picker(on_files: FilesHandler) -> Handler:
    """A click handler that opens the file dialog and hands over what was chosen."""
    page = ft.context.page
    picker = ft.use_memo(ft.FilePicker, dependencies=[])

    async def pick() -> None:
        chosen = await picker.pick_files(allow_multiple=True, with_data=True)
        if chosen:
            on_files(await read_picked(chosen))

    return lambda: page.run_task(pick)


def use_showing(notices: NoticesState, route: str | None) -> None:
    """While this screen shows the item at `route`, its live updates get no banner (the
    screen itself changes)."""

    def show() -> None:
        notices.show(route)

    def hide() -> None:
        if notices.showing == route:
            notices.show(None)

    ft.use_effect(show, dependencies=[route], cleanup=hide)
