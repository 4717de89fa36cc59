"""Booking a callback: the queue, as soon as possible or a time slot, and the phone number
(checked for the chosen country). Offline, the request is saved and sent later."""

from __future__ import annotations

import flet as ft

from app.schemas import CallbackMode
from app.state.account import AccountState
from app.state.callbacks import CallbacksState
from app.state.phone import COUNTRIES, country_label
from app.state.window import UiState, WindowState
from app.views.context import route_query, use_window
from app.views.layout import form_column
from app.views.shell import detail_view
from app.views.slot_picker import day_label, slot_picker
from app.views.strings import clock, minutes_range, tr
from app.views.widgets import (
    BookingRefInput,
    error_line,
    heading,
    named_dropdown,
    signed_in_only,
)


def queue_choice(callbacks: CallbacksState, ui: UiState) -> list[ft.Control]:
    page = ft.context.page
    return [
        heading(ui, "queue_label"),
        ft.RadioGroup(
            value=callbacks.queue_id,
            on_change=lambda e: page.run_task(callbacks.choose_queue, e.control.value),
            content=ft.Column(
                [
                    ft.Column(
                        [
                            ft.Radio(value=q.id, label=q.name),
                            ft.Text(q.description, size=13, italic=True),
                        ],
                        spacing=0,
                    )
                    for q in callbacks.queues
                ],
            ),
        ),
        *error_line(ui, callbacks.errors.get("queue")),
    ]


def opening_time(callbacks: CallbacksState, ui: UiState) -> str | None:
    """When a closed queue opens, with its weekday: 'Tue, Dec 8, 8:00 AM'."""
    opens = callbacks.asap_opens_at()
    if opens is None:
        return None
    local = opens.astimezone(callbacks.zone)
    return f"{day_label(ui.locale, local.date())}, {clock(ui.locale, local)}"


def asap_label(callbacks: CallbacksState, locale: str, opens: str | None) -> str:
    """'As soon as possible' with what the hub said: the likely wait as a range (or the
    one figure of an older hub), or not before when it opens."""
    if callbacks.asap_closed():
        return tr(locale, "asap_closed_until", when=opens) if opens else tr(locale, "asap_closed")
    likely = callbacks.asap_range()
    if likely is not None:
        return tr(locale, "asap_wait_range", range=minutes_range(locale, *likely))
    wait = callbacks.asap_wait()
    return tr(locale, "asap_wait", minutes=wait) if wait is not None else tr(locale, "asap")


def busy_note(callbacks: CallbacksState, locale: str) -> str | None:
    """Why a booked time is offered first: the wait may run past closing (and when the
    first times are), or the queue is over capacity; None when it is not."""
    late = callbacks.asap_past_closing()
    if late is not None:
        closes, opening = late
        at = clock(locale, closes.astimezone(callbacks.zone))
        if opening is None:
            return tr(locale, "asap_past_closing", closes=at)
        local = opening.astimezone(callbacks.zone)
        first = f"{day_label(locale, local.date())}, {clock(locale, local)}"
        return tr(locale, "asap_past_closing_opens", closes=at, when=first)
    return tr(locale, "slots_first_busy") if callbacks.slots_first() else None


def when_choice(callbacks: CallbacksState, ui: UiState) -> list[ft.Control]:
    page = ft.context.page
    closed = callbacks.asap_closed()
    opens = opening_time(callbacks, ui)
    choices: list[ft.Control] = [
        # Not selectable while the queue is closed: the time picker is open.
        ft.Radio(
            value=CallbackMode.asap.value,
            label=asap_label(callbacks, ui.locale, opens),
            disabled=closed,
        ),
        ft.Radio(value=CallbackMode.slot.value, label=tr(ui.locale, "pick_time")),
    ]
    if callbacks.slots_first():
        choices.reverse()  # over capacity: a booked time is the first offer
    controls: list[ft.Control] = [
        heading(ui, "when_label"),
        ft.RadioGroup(
            value=callbacks.mode.value,
            on_change=lambda e: callbacks.choose_mode(CallbackMode(e.control.value)),
            content=ft.Column(choices, spacing=0),
        ),
    ]
    if closed:
        says: str | None = (
            tr(ui.locale, "queue_closed_opens", when=opens)
            if opens
            else tr(ui.locale, "queue_closed")
        )
    else:
        says = busy_note(callbacks, ui.locale)
    if says:
        controls.append(
            ft.Row(
                [ft.Icon(ft.Icons.SCHEDULE, color=ft.Colors.PRIMARY), ft.Text(says, expand=True)]
            )
        )
    if callbacks.mode is CallbackMode.slot:
        controls += slot_picker(
            callbacks, ui, on_retry=lambda: page.run_task(callbacks.fetch_slots)
        )
        controls += error_line(ui, callbacks.errors.get("slot"))
    return controls


@ft.component
def BookingForm(callbacks: CallbacksState, ui: UiState) -> ft.Control:
    page = ft.context.page
    # Fields made once, so what is typed survives every re-render (see HelpScreen).
    phone = ft.use_memo(
        lambda: ft.TextField(
            label=tr(ui.locale, "phone_label"),
            hint_text=tr(ui.locale, "phone_hint"),
            value=callbacks.phone,
            keyboard_type=ft.KeyboardType.PHONE,
            autofill_hints=ft.AutofillHint.TELEPHONE_NUMBER,
            prefix_icon=ft.Icons.PHONE,
        ),
        dependencies=[ui.locale],
    )
    note = ft.use_memo(
        lambda: ft.TextField(
            label=tr(ui.locale, "note_label"), multiline=True, min_lines=2, max_length=2000
        ),
        dependencies=[ui.locale],
    )
    field = callbacks.company.booking_ref if callbacks.company else None
    reference: dict[str, str] = ft.use_memo(dict, dependencies=[])
    busy, set_busy = ft.use_state(False)
    history = use_window().history

    async def book() -> None:
        set_busy(True)
        try:
            local_id = await callbacks.book(
                phone.value or "",
                note.value or "",
                booking_ref=reference.get("value", "") if field else "",
                language=ui.locale,
            )
        finally:
            set_busy(False)
        if local_id:
            # The callback takes the form's place: Back from it does not return to the form.
            history.replace_next()
            page.navigate(f"/callbacks/{local_id}")

    return form_column(
        [
            # One column for the parts that grow and shrink (the picker opens and closes),
            # so the fields and the component below keep their places in this list.
            ft.Column([*queue_choice(callbacks, ui), *when_choice(callbacks, ui)], spacing=12),
            heading(ui, "your_number"),
            named_dropdown(
                ft.Dropdown(
                    label=tr(ui.locale, "country_label"),
                    value=callbacks.country,
                    options=[
                        ft.DropdownOption(key=code, text=country_label(code, ui.locale))
                        for code, _, _ in COUNTRIES
                    ],
                    on_select=lambda e: callbacks.choose_country(e.control.value or "US"),
                ),
                tr(ui.locale, "country_label"),
            ),
            phone,
            *error_line(ui, callbacks.errors.get("phone")),
            BookingRefInput(field, ui, callbacks.errors.get("booking_ref"), reference),
            note,
            *error_line(ui, callbacks.errors.get("note")),
            # Not saved (the device is full or read-only): the fields keep what was typed.
            *error_line(ui, callbacks.errors.get("form")),
            ft.FilledButton(
                tr(ui.locale, "request_callback"),
                icon=ft.Icons.PHONE_CALLBACK,
                disabled=busy,
                on_click=lambda: page.run_task(book),
            ),
        ],
    )


@ft.component
def BookCallbackScreen(
    window: WindowState, callbacks: CallbacksState, account: AccountState, ui: UiState
) -> ft.View:
    page = ft.context.page
    queue = route_query("queue")
    ft.use_effect(lambda: page.run_task(callbacks.start_booking, queue), dependencies=[queue])
    where = f"/callbacks/new?queue={queue}" if queue else "/callbacks/new"
    body = signed_in_only(
        window, account, ui, "sign_in_for_callbacks", where, lambda: [BookingForm(callbacks, ui)]
    )
    return detail_view(title=tr(ui.locale, "book_callback"), body=body)


@ft.component
def BookCallbackRoute() -> ft.View:
    window = use_window()
    return BookCallbackScreen(window, window.callbacks, window.account, window.ui)
