"""Callbacks: today's board of the chosen queue (each slot's bookings against the agents on
duty, the as-soon-as-possible waiting list with the wait customers are shown, today's
outcomes) beside the staffing editor (`staffing_editor`)."""

from __future__ import annotations

import flet as ft

from app.console.state.board import BoardState
from app.console.state.console import ConsoleUi
from app.console.strings import tr, when
from app.console.views.context import use_console
from app.console.views.shell import console_view
from app.console.views.sign_in import failure_text
from app.console.views.staffing_editor import StaffingEditor
from app.console.views.widgets import dropdown, icon_button
from app.schemas.callbacks import CallbackStatus
from app.schemas.console import QueueBoard, SlotLoad, WaitingCallback

BAR_WIDTH = 260


def outcome_label(locale: str, status: CallbackStatus) -> str:
    return {
        CallbackStatus.requested: tr(locale, "callback_requested"),
        CallbackStatus.scheduled: tr(locale, "callback_scheduled"),
        CallbackStatus.completed: tr(locale, "callback_completed"),
        CallbackStatus.missed: tr(locale, "callback_missed"),
        CallbackStatus.cancelled: tr(locale, "callback_cancelled"),
    }[status]


def mark_label(locale: str, status: CallbackStatus) -> str:
    return {
        CallbackStatus.completed: tr(locale, "mark_completed"),
        CallbackStatus.missed: tr(locale, "mark_no_answer"),
        CallbackStatus.cancelled: tr(locale, "mark_cancelled"),
    }.get(status, status.value)


def heading(text: str) -> ft.Control:
    return ft.Text(text, theme_style=ft.TextThemeStyle.TITLE_MEDIUM)


def slot_row(board: BoardState, slot: SlotLoad, top: int, locale: str) -> ft.Control:
    """One slot: a track as long as its capacity, filled as far as it is booked."""
    full = slot.booked >= slot.capacity
    said = tr(locale, "slot_load", booked=slot.booked, capacity=slot.capacity)
    track = ft.Container(
        ft.Container(
            width=BAR_WIDTH * min(slot.booked, max(slot.capacity, 1)) / top,
            bgcolor=ft.Colors.ERROR if full else ft.Colors.PRIMARY,
            border_radius=3,
        ),
        width=max(BAR_WIDTH * slot.capacity / top, 2),
        height=14,
        bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST,
        border_radius=3,
        alignment=ft.Alignment.CENTER_LEFT,
        tooltip=said,
    )
    times = f"{board.local(slot.starts_at)}–{board.local(slot.ends_at)}"
    return ft.Row(
        [
            ft.Text(times, width=100),
            ft.Container(track, width=BAR_WIDTH, alignment=ft.Alignment.CENTER_LEFT),
            ft.Text(said, color=ft.Colors.ERROR if full else None),
        ],
        spacing=12,
    )


def waiting_row(board: BoardState, waiting: WaitingCallback, locale: str) -> ft.Control:
    page = ft.context.page
    estimate = (
        tr(locale, "estimate_minutes", minutes=waiting.estimate_minutes)
        if waiting.estimate_minutes is not None
        else tr(locale, "estimate_none")
    )
    buttons: list[ft.Control] = [
        ft.TextButton(
            mark_label(locale, status),
            on_click=lambda _, s=status: page.run_task(board.mark, waiting.id, s),
        )
        for status in (CallbackStatus.completed, CallbackStatus.missed, CallbackStatus.cancelled)
    ]
    return ft.ListTile(
        title=ft.Text(f"{waiting.customer_email} · {waiting.phone}"),
        subtitle=ft.Text(
            f"{tr(locale, 'requested_at', time=when(locale, waiting.requested_at))} · {estimate}"
        ),
        trailing=ft.Row(buttons, tight=True, spacing=0),
        dense=True,
    )


def queue_board(board: BoardState, queue: QueueBoard, locale: str) -> list[ft.Control]:
    top = max([1, *(max(s.capacity, s.booked) for s in queue.slots)])
    outcomes = " · ".join(
        f"{outcome_label(locale, status)}: {queue.outcomes.get(status, 0)}"
        for status in (CallbackStatus.completed, CallbackStatus.missed, CallbackStatus.cancelled)
    )
    slots = [slot_row(board, s, top, locale) for s in queue.slots]
    waiting = [waiting_row(board, w, locale) for w in queue.waiting]
    # The waiting list first: those customers are waiting now; the slots come after.
    return [
        ft.Text(outcomes),
        heading(tr(locale, "waiting_asap", count=len(queue.waiting))),
        *(waiting or [ft.Text(tr(locale, "nobody_waiting"))]),
        heading(tr(locale, "slots_today")),
        *(slots or [ft.Text(tr(locale, "no_slots_today"))]),
    ]


def queue_picker(board: BoardState, locale: str) -> ft.Control:
    page = ft.context.page
    queues = board.board.queues if board.board else []
    return dropdown(
        label=tr(locale, "queue"),
        value=board.queue_id,
        width=340,
        dense=True,
        options=[ft.DropdownOption(key=q.queue_id, text=q.name) for q in queues],
        on_select=lambda e: page.run_task(board.choose, e.control.value or ""),
    )


@ft.component
def CallbacksScreen(ui: ConsoleUi, board: BoardState) -> ft.View:
    page, locale = ft.context.page, ui.locale
    ft.use_effect(lambda: page.run_task(board.load), dependencies=[])
    queue = board.queue
    day = board.board.day.isoformat() if board.board else ""
    top = ft.Row(
        [
            queue_picker(board, locale),
            ft.TextButton(
                tr(locale, "previous_day"),
                icon=ft.Icons.CHEVRON_LEFT,
                on_click=lambda: page.run_task(board.shift, -1),
            ),
            ft.Text(tr(locale, "board_day", day=day, zone=board.zone.key)),
            ft.TextButton(
                tr(locale, "next_day"),
                icon=ft.Icons.CHEVRON_RIGHT,
                on_click=lambda: page.run_task(board.shift, 1),
            ),
            icon_button(ft.Icons.REFRESH, tr(locale, "refresh"), lambda: page.run_task(board.load)),
        ],
        wrap=True,
    )
    left: list[ft.Control] = queue_board(board, queue, locale) if queue else []
    listing = ft.ListView(left, spacing=6, expand=True)
    editor = StaffingEditor(board, ui) if queue else ft.Container()
    if ui.narrow:
        main: ft.Control = ft.ListView([*left, editor], spacing=6, expand=True)
    else:
        main = ft.Row(
            [
                ft.Container(listing, expand=3),
                ft.VerticalDivider(width=1),
                ft.Container(ft.ListView([editor], expand=True), expand=2),
            ],
            expand=True,
            vertical_alignment=ft.CrossAxisAlignment.START,
        )
    other = board.other_zone()
    note = (
        [ft.Text(tr(locale, "queue_zone", zone=other, company=board.company_zone.key), size=12)]
        if other
        else []
    )
    body: list[ft.Control] = [top, *note, *failure_text(locale, board.error), main]
    return console_view("/callbacks", tr(locale, "nav_callbacks"), body)


@ft.component
def CallbacksRoute() -> ft.View:
    console = use_console()
    return CallbacksScreen(console.ui, console.screen(BoardState))
