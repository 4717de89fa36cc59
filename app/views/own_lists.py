"""The screens that list the customer's own things (cases, callbacks): signed out, the
prompt to sign in; signed in, the button that makes a new one, then the list (or a line
saying there is none yet), each item with its sync marker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import flet as ft

from app.schemas import Rejection
from app.state.account import AccountState
from app.state.window import UiState, WindowState
from app.views.shell import DESTINATIONS, shell
from app.views.strings import tr
from app.views.widgets import signed_in_only, sync_marker


@dataclass(frozen=True)
class OwnList:
    """One such screen: its address (a navigation destination; a new item is made at
    `<route>/new`), its button to make one, and the strings it shows signed out and
    when there is nothing to list."""

    route: str
    new: str
    new_icon: ft.IconData
    sign_in: str
    empty: str

    @property
    def selected(self) -> int:
        return next(i for i, d in enumerate(DESTINATIONS) if d[3] == self.route)

    @property
    def title(self) -> str:
        return DESTINATIONS[self.selected][0]


def item_card(
    tile: ft.ListTile, ui: UiState, sync_state: str, error: Rejection | None
) -> ft.Control:
    """One item: its tile, and below it whether it waits to be sent or why the hub
    refused it."""
    return ft.Card(
        ft.Container(
            ft.Column([tile, *sync_marker(ui, sync_state, error)], spacing=4),
            padding=ft.Padding.only(bottom=8, left=8, right=8),
        )
    )


def own_list_screen(
    window: WindowState,
    account: AccountState,
    ui: UiState,
    kind: OwnList,
    items: Callable[[], list[ft.Control]],
) -> ft.View:
    """The screen of `kind`, listing `items()` (asked only of a signed-in customer)."""
    page = ft.context.page

    def listed() -> list[ft.Control]:
        new = ft.FilledButton(
            tr(ui.locale, kind.new),
            icon=kind.new_icon,
            on_click=lambda: page.navigate(f"{kind.route}/new"),
        )
        return [new, *(items() or [ft.Text(tr(ui.locale, kind.empty))])]

    body = signed_in_only(window, account, ui, kind.sign_in, kind.route, listed)
    return shell(ui=ui, selected=kind.selected, title=tr(ui.locale, kind.title), body=body)
