"""Files on a case or a reply: the picker, what was picked, and the files refused with
their reason."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import flet as ft

from app.state.window import UiState
from app.views.strings import tr

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
