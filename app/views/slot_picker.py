"""Choosing a callback time: a day, then a free slot on it, shown in the customer's time
zone. Used by the booking form and to move a callback.

Every free time of the chosen day is on the page, grouped morning / afternoon / evening;
the row of days moves by buttons, so a mouse reaches every day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import Any

import flet as ft

from app.state.callbacks import CallbacksState
from app.state.window import UiState
from app.views.strings import clock, short_day, tr, when
from app.views.widgets import progress


def day_label(locale: str, day: date) -> str:
    """'Mon, Nov 23' / 'lun, 23 nov'."""
    return short_day(locale, day)


def zone_name(zone: tzinfo) -> str:
    return str(getattr(zone, "key", None) or datetime.now(zone).strftime("%Z"))


def day_row(callbacks: CallbacksState, ui: UiState) -> ft.Control:
    """The days shown now, between buttons to the earlier and later ones."""
    chips: list[ft.Control] = [
        ft.Chip(
            label=ft.Text(day_label(ui.locale, day)),
            selected=day == callbacks.day,
            on_select=lambda _, d=day: callbacks.choose_day(d),
            key=f"day-{day}",
        )
        for day in callbacks.shown_days()
    ]
    move: list[ft.Control] = []
    if callbacks.has_earlier_days() or callbacks.has_later_days():
        move = [
            ft.TextButton(
                tr(ui.locale, "earlier_days"),
                icon=ft.Icons.CHEVRON_LEFT,
                disabled=not callbacks.has_earlier_days(),
                on_click=callbacks.earlier_days,
            ),
            ft.TextButton(
                tr(ui.locale, "later_days"),
                icon=ft.Icons.CHEVRON_RIGHT,
                disabled=not callbacks.has_later_days(),
                on_click=callbacks.later_days,
            ),
        ]
    return ft.Column([ft.Row(chips, wrap=True), ft.Row(move, wrap=True)], spacing=4)


def time_groups(callbacks: CallbacksState, ui: UiState) -> ft.Control:
    groups: list[ft.Control] = []
    for part, found in callbacks.slot_groups(callbacks.day):
        groups += [
            ft.Text(tr(ui.locale, f"times_{part}"), theme_style=ft.TextThemeStyle.TITLE_SMALL),
            ft.Row(
                [
                    ft.Chip(
                        label=ft.Text(clock(ui.locale, slot.start.astimezone(callbacks.zone))),
                        selected=slot.start == callbacks.slot,
                        on_select=lambda _, s=slot.start: callbacks.choose_slot(s),
                        key=slot.start.isoformat(),
                    )
                    for slot in found
                ],
                wrap=True,
            ),
        ]
    # A day's times are a new set of chips, not the last day's relabelled.
    return ft.Column(groups, spacing=8, key=f"slots-{callbacks.day}")


def slot_picker(
    callbacks: CallbacksState,
    ui: UiState,
    *,
    on_retry: Callable[[], Any],
) -> list[ft.Control]:
    """Day chips and time chips for the queue being booked; the loading, offline and
    empty states say what the customer can do instead, and times last seen say when."""
    if callbacks.slots_loading and not callbacks.slots():
        return [ft.Row([progress(), ft.Text(tr(ui.locale, "slots_loading"))])]
    controls: list[ft.Control] = []
    seen_at = callbacks.as_of()
    last_seen = seen_at is not None and bool(callbacks.days())
    if last_seen and seen_at is not None:
        # The last free times seen (the hub could not be asked since): say when.
        when_seen = when(ui.locale, seen_at, ui.zone)
        controls.append(
            ft.Text(
                tr(ui.locale, "slots_last_seen", when=when_seen),
                color=ft.Colors.ON_SURFACE_VARIANT,
            )
        )
    if callbacks.slots_error:
        if not last_seen:
            key = "slots_offline" if callbacks.slots_error == "offline" else "slots_error"
            controls.append(ft.Text(tr(ui.locale, key), color=ft.Colors.ON_SURFACE_VARIANT))
        controls.append(
            ft.TextButton(tr(ui.locale, "retry"), icon=ft.Icons.REFRESH, on_click=on_retry)
        )
    if not callbacks.days():
        if not callbacks.slots_error:
            controls.append(ft.Text(tr(ui.locale, "no_slots")))
        return controls
    controls.append(
        ft.Text(tr(ui.locale, "times_in_zone", zone=zone_name(callbacks.zone)), size=13)
    )
    controls += [day_row(callbacks, ui), time_groups(callbacks, ui)]
    return controls
