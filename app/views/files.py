"""Files on a case or a reply: the picker, what was picked, the files refused with their
reason, and the files of a thread, which open when tapped."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import flet as ft
from babel.units import format_unit

from app.state.cases import CasesState
from app.state.window import UiState
from app.views.strings import babel_locale, tr
from app.views.widgets import error_line

Handler = Callable[[], Any]
FilesHandler = Callable[[list[tuple[str, bytes]]], Any]


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


def file_size(locale: str, size: int) -> str:
    """A byte count in the customer's language: '31 B', '12,3 kB', '1.5 MB'."""
    unit, value = "digital-byte", float(size)
    if size >= 1_000_000:
        unit, value = "digital-megabyte", round(size / 1_000_000, 1)
    elif size >= 1_000:
        unit, value = "digital-kilobyte", round(size / 1_000, 1)
    return str(format_unit(value, unit, length="short", locale=babel_locale(locale)))


def type_icon(content_type: str) -> ft.IconData:
    if content_type.startswith("image/"):
        return ft.Icons.IMAGE_OUTLINED
    if content_type == "application/pdf":
        return ft.Icons.PICTURE_AS_PDF_OUTLINED
    return ft.Icons.DESCRIPTION_OUTLINED


def thread_files(ui: UiState, cases: CasesState, items: list[dict[str, Any]]) -> ft.Control:
    """A thread's files (the customer's or an agent's) with type and size; tapping one
    opens it: a download in a browser, the system's viewer on a desktop or phone."""
    page = ft.context.page

    async def open_file(item: dict[str, Any]) -> None:
        target = await cases.open_file(item)
        if target is not None:
            await ft.UrlLauncher().launch_url(target, web_only_window_name="_self")

    return ft.Row(
        [
            ft.TextButton(
                content=ft.Row(
                    [
                        ft.Icon(type_icon(str(item.get("content_type", ""))), size=18),
                        ft.Text(str(item["filename"])),
                        ft.Text(file_size(ui.locale, int(item.get("size") or 0)), size=12),
                    ],
                    tight=True,
                    spacing=6,
                ),
                tooltip=tr(ui.locale, "open_file", name=item["filename"]),
                on_click=lambda _, i=item: page.run_task(open_file, i),
            )
            for item in items
        ],
        wrap=True,
    )


def file_problem(ui: UiState, cases: CasesState) -> list[ft.Control]:
    """Why the file last tapped did not open."""
    return error_line(ui, cases.file_error)
