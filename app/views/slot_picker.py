"""Choosing a callback time: a day, then a free slot on it, shown in the customer's time
zone. Used by the booking form and to move a callback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import Any

import flet as ft

from app.state.callbacks import CallbacksState
from app.state.session import UiState
from app.views.strings import MONTHS, WEEKDAYS, clock, tr
from app.views.widgets import progress

TIMES_HEIGHT = 176  # four rows of times


def day_label(locale: str, day: date) -> str:
    """'Mon, Nov 23' / 'lun, 23 nov'."""
    weekday = WEEKDAYS.get(locale, WEEKDAYS["en"])[day.weekday()]
    month = MONTHS.get(locale, MONTHS["en"])[day.month - 1]
    return f"{weekday}, {day.day} {month}" if locale == "es" else f"{weekday}, {month} {day.day}"


def zone_name(zone: tzinfo) -> str:
    return str(getattr(zone, "key", None) or datetime.now(zone).strftime("%Z"))


def slot_picker(
    callbacks: CallbacksState,
    ui: UiState,
    *,
    on_retry: Callable[[], Any],
) -> list[ft.Control]:
    """Day chips and time chips for the queue being booked; the loading, offline and
    empty states say what the customer can do instead."""
    if callbacks.slots_loading and not callbacks.slots():
        return [ft.Row([progress(), ft.Text(tr(ui.locale, "slots_loading"))])]
    controls: list[ft.Control] = []
    if callbacks.slots_error:
        key = "slots_offline" if callbacks.slots_error == "offline" else "slots_error"
        controls += [
            ft.Text(tr(ui.locale, key), color=ft.Colors.ON_SURFACE_VARIANT),
            ft.TextButton(tr(ui.locale, "retry"), icon=ft.Icons.REFRESH, on_click=on_retry),
        ]
    days = callbacks.days()
    if not days:
        if not callbacks.slots_error:
            controls.append(ft.Text(tr(ui.locale, "no_slots")))
        return controls
    controls.append(
        ft.Text(tr(ui.locale, "times_in_zone", zone=zone_name(callbacks.zone)), size=13)
    )
    controls.append(
        ft.Row(
            [
                ft.Chip(
                    label=ft.Text(day_label(ui.locale, day)),
                    selected=day == callbacks.day,
                    on_select=lambda _, d=day: callbacks.choose_day(d),
                    key=f"day-{day}",
                )
                for day in days
            ],
            scroll=ft.ScrollMode.AUTO,
        )
    )
    times = ft.Row(
        [
            ft.Chip(
                label=ft.Text(clock(ui.locale, slot.start.astimezone(callbacks.zone))),
                selected=slot.start == callbacks.slot,
                on_select=lambda _, s=slot.start: callbacks.choose_slot(s),
                key=slot.start.isoformat(),
            )
            for slot in callbacks.slots_on(callbacks.day)
        ],
        wrap=True,
        # A day's times are a new set of chips, not the last day's relabelled.
        key=f"slots-{callbacks.day}",
    )
    # A box of fixed height that scrolls: choosing another day never moves what is below.
    controls.append(
        ft.Container(ft.Column([times], scroll=ft.ScrollMode.AUTO), height=TIMES_HEIGHT)
    )
    return controls
