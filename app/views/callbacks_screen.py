"""Callbacks: the customer's booked callbacks with their status, and the way to book one."""

from __future__ import annotations

import flet as ft

from app.schemas import CallbackMode
from app.state.account import AccountState
from app.state.callbacks import CallbacksState
from app.state.window import UiState, WindowState
from app.store.records import CallbackView
from app.views.context import use_window
from app.views.shell import shell
from app.views.strings import tr, when
from app.views.theme import CALLBACK_STATUS_COLORS, NEUTRAL
from app.views.widgets import sign_in_prompt, sync_marker
from app.views.widgets import status_chip as chip


def callback_time(callbacks: CallbacksState, ui: UiState, callback: CallbackView) -> str:
    if callback.mode is CallbackMode.asap or callback.slot_start is None:
        return tr(ui.locale, "asap")
    return when(ui.locale, callback.slot_start, callbacks.zone)


def status_chip(ui: UiState, status: str) -> ft.Control:
    color = CALLBACK_STATUS_COLORS.get(status, NEUTRAL)
    return chip(tr(ui.locale, f"callback_{status}"), color)


def callback_tile(callbacks: CallbacksState, ui: UiState, callback: CallbackView) -> ft.Control:
    page = ft.context.page
    return ft.Card(
        ft.Container(
            ft.Column(
                [
                    ft.ListTile(
                        leading=ft.Icon(ft.Icons.PHONE_CALLBACK),
                        title=ft.Text(callbacks.queue_name(callback.queue_id)),
                        subtitle=ft.Text(callback_time(callbacks, ui, callback)),
                        trailing=status_chip(ui, callback.status),
                        on_click=lambda: page.navigate(f"/callbacks/{callback.local_id}"),
                    ),
                    *sync_marker(ui, callback.sync_state, callback.error),
                ],
                spacing=4,
            ),
            padding=ft.Padding.only(bottom=8, left=8, right=8),
        )
    )


@ft.component
def CallbacksScreen(
    window: WindowState,
    callbacks: CallbacksState,
    account: AccountState,
    ui: UiState,
) -> ft.View:
    page = ft.context.page
    body: list[ft.Control] = []
    if account.customer is None:
        body.append(sign_in_prompt(window, ui, "sign_in_for_callbacks", "/callbacks"))
    else:
        body.append(
            ft.FilledButton(
                tr(ui.locale, "book_callback"),
                icon=ft.Icons.ADD_IC_CALL,
                on_click=lambda: page.navigate("/callbacks/new"),
            )
        )
        upcoming, past = callbacks.upcoming, callbacks.past
        if not callbacks.callbacks:
            body.append(ft.Text(tr(ui.locale, "callbacks_empty")))
        if upcoming:
            body.append(
                ft.Text(tr(ui.locale, "upcoming"), theme_style=ft.TextThemeStyle.TITLE_MEDIUM)
            )
            body.extend(callback_tile(callbacks, ui, c) for c in upcoming)
        if past:
            body.append(ft.Text(tr(ui.locale, "past"), theme_style=ft.TextThemeStyle.TITLE_MEDIUM))
            body.extend(callback_tile(callbacks, ui, c) for c in past)
    return shell(
        ui=ui,
        selected=2,
        title=tr(ui.locale, "nav_callbacks"),
        body=body,
        on_retry=lambda: page.run_task(window.sync_now),
    )


@ft.component
def CallbacksRoute() -> ft.View:
    window = use_window()
    return CallbacksScreen(window, window.callbacks, window.account, window.ui)
