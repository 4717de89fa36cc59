"""Callbacks: the customer's booked callbacks with their status, and the way to book one."""

from __future__ import annotations

import flet as ft

from app.schemas import CallbackMode
from app.state.account import AccountState
from app.state.callbacks import CallbacksState
from app.state.window import UiState, WindowState
from app.store.records import CallbackRecord
from app.views.context import use_window
from app.views.own_lists import OwnList, item_card, own_list_screen
from app.views.strings import tr, when
from app.views.theme import CALLBACK_STATUS_COLORS, NEUTRAL
from app.views.widgets import heading
from app.views.widgets import status_chip as chip

CALLBACKS = OwnList(
    "/callbacks",
    "book_callback",
    ft.Icons.ADD_IC_CALL,
    sign_in="sign_in_for_callbacks",
    empty="callbacks_empty",
)


def callback_time(callbacks: CallbacksState, ui: UiState, callback: CallbackRecord) -> str:
    if callback.mode is CallbackMode.asap or callback.slot_start is None:
        return tr(ui.locale, "asap")
    return when(ui.locale, callback.slot_start, callbacks.zone)


def status_chip(ui: UiState, status: str) -> ft.Control:
    color = CALLBACK_STATUS_COLORS.get(status, NEUTRAL)
    return chip(tr(ui.locale, f"callback_{status}"), color)


def callback_tile(callbacks: CallbacksState, ui: UiState, callback: CallbackRecord) -> ft.Control:
    page = ft.context.page
    tile = ft.ListTile(
        leading=ft.Icon(ft.Icons.PHONE_CALLBACK),
        title=ft.Text(callbacks.queue_name(callback.queue_id)),
        subtitle=ft.Text(callback_time(callbacks, ui, callback)),
        trailing=status_chip(ui, callback.status),
        on_click=lambda: page.navigate(f"/callbacks/{callback.local_id}"),
    )
    return item_card(tile, ui, callback.sync_state, callback.error)


@ft.component
def CallbacksScreen(
    window: WindowState,
    callbacks: CallbacksState,
    account: AccountState,
    ui: UiState,
) -> ft.View:

    def listed() -> list[ft.Control]:
        body: list[ft.Control] = []
        upcoming, past = callbacks.upcoming, callbacks.past
        if upcoming:
            body.append(heading(ui, "upcoming"))
            body.extend(callback_tile(callbacks, ui, c) for c in upcoming)
        if past:
            body.append(heading(ui, "past"))
            body.extend(callback_tile(callbacks, ui, c) for c in past)
        return body

    return own_list_screen(window, account, ui, CALLBACKS, listed)


@ft.component
def CallbacksRoute() -> ft.View:
    window = use_window()
    return CallbacksScreen(window, window.callbacks, window.account, window.ui)
