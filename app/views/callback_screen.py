"""One callback: when and where we call, its status, and cancel or move it. A slot the hub
refused comes with the nearest free times, one tap away."""

from __future__ import annotations

from datetime import datetime

import flet as ft

from app.schemas import CallbackMode
from app.state.callbacks import CallbacksState
from app.state.notices import NoticesState
from app.state.phone import display
from app.state.sync import SyncState
from app.state.window import UiState
from app.store.records import CallbackRecord
from app.views.callbacks_screen import callback_time, status_chip
from app.views.context import use_window
from app.views.shell import detail_view, missing_view
from app.views.slot_picker import slot_picker
from app.views.strings import clock, long_date, tr, when
from app.views.widgets import confirm_box, error_line, heading, sync_marker, use_showing

CALENDAR_FILE = "callback.ics"


def alternatives(
    callbacks: CallbacksState, ui: UiState, callback: CallbackRecord
) -> list[ft.Control]:
    """The free times the hub offered instead of a refused slot."""
    page = ft.context.page
    offered = (callback.error.alternatives or []) if callback.error else []
    if not offered:
        return []

    async def take(start: str) -> None:
        new_id = await callbacks.take_alternative(callback.local_id, start)
        page.navigate(f"/callbacks/{new_id}")

    return [
        heading(ui, "alternatives_title"),
        ft.Row(
            [
                ft.FilledTonalButton(
                    when(ui.locale, slot["start"], callbacks.zone),
                    icon=ft.Icons.EVENT_AVAILABLE,
                    on_click=lambda _, s=slot["start"]: page.run_task(take, s),
                )
                for slot in offered
                if isinstance(slot.get("start"), str)
            ],
            wrap=True,
        ),
    ]


@ft.component
def Actions(callbacks: CallbacksState, ui: UiState, callback: CallbackRecord) -> ft.Control:
    """Cancel (asked once more) and change the time, while the callback is still to come."""
    page = ft.context.page
    confirming, set_confirming = ft.use_state(False)
    if not callback.active:
        return ft.Column([])
    if confirming:
        return confirm_box(
            question=tr(ui.locale, "cancel_confirm"),
            keep=tr(ui.locale, "keep_it"),
            on_keep=lambda: set_confirming(False),
            act=tr(ui.locale, "yes_cancel"),
            on_act=lambda: page.run_task(callbacks.cancel, callback.local_id),
        )
    if callbacks.rescheduling == callback.local_id:
        chosen = callbacks.slot

        def move() -> None:
            if chosen is not None:
                page.run_task(callbacks.reschedule, callback.local_id, chosen)

        return ft.Column(
            [
                heading(ui, "choose_new_time"),
                *slot_picker(callbacks, ui, on_retry=lambda: page.run_task(callbacks.fetch_slots)),
                ft.Row(
                    [
                        ft.FilledButton(
                            tr(ui.locale, "move_callback"),
                            disabled=chosen is None,
                            on_click=move,
                        ),
                        ft.TextButton(
                            tr(ui.locale, "keep_time"), on_click=callbacks.stop_reschedule
                        ),
                    ],
                    wrap=True,
                ),
            ],
            spacing=12,
        )
    buttons: list[ft.Control] = []
    if callback.mode is CallbackMode.slot:
        buttons.append(
            ft.OutlinedButton(
                tr(ui.locale, "change_time"),
                icon=ft.Icons.EDIT_CALENDAR,
                on_click=lambda: page.run_task(callbacks.start_reschedule, callback.local_id),
            )
        )
    buttons.append(
        ft.OutlinedButton(
            tr(ui.locale, "cancel_callback"),
            icon=ft.Icons.PHONE_DISABLED,
            on_click=lambda: set_confirming(True),
        )
    )
    return ft.Row(buttons, wrap=True)


def zone_abbreviation(moment: datetime) -> str:
    """'CST (America/Chicago)': what a clock in that zone shows, and the zone's name."""
    key = getattr(moment.tzinfo, "key", None)
    short = moment.strftime("%Z")
    return f"{short} ({key})" if key and key != short else short


def confirmation(
    callbacks: CallbacksState, ui: UiState, callback: CallbackRecord
) -> list[ft.Control]:
    """'Booked', the day with its weekday, the call window with its time zone, the number
    we call and the one we call from, and what happens if the call is missed."""
    if not callback.active or callback.sync_state == "rejected":
        return []
    lines: list[ft.Control] = [
        ft.Row(
            [
                ft.Icon(ft.Icons.CHECK_CIRCLE, color=ft.Colors.PRIMARY),
                ft.Text(tr(ui.locale, "booked"), theme_style=ft.TextThemeStyle.HEADLINE_SMALL),
            ]
        )
    ]
    window = callbacks.window(callback)
    if window is not None:
        start, end = (t.astimezone(callbacks.zone) for t in window)
        lines += [
            ft.Text(long_date(ui.locale, start), theme_style=ft.TextThemeStyle.TITLE_MEDIUM),
            ft.Text(
                tr(
                    ui.locale,
                    "call_window",
                    start=clock(ui.locale, start),
                    end=clock(ui.locale, end),
                    zone=zone_abbreviation(start),
                )
            ),
        ]
    else:
        lines.append(ft.Text(tr(ui.locale, "call_asap")))
    lines.append(
        ft.Row(
            [
                ft.Icon(ft.Icons.PHONE),
                ft.Text(tr(ui.locale, "we_call_number", number=display(callback.phone))),
            ],
            wrap=True,
        )
    )
    caller = callbacks.caller_number()
    if caller:
        lines.append(
            ft.Row(
                [
                    ft.Icon(ft.Icons.PHONE_IN_TALK),
                    ft.Text(tr(ui.locale, "we_call_from", number=display(caller))),
                ],
                wrap=True,
            )
        )
    field = callbacks.company.booking_ref if callbacks.company else None
    if callback.booking_ref and field:
        label = field.label_in(ui.locale)
        lines.append(
            ft.Text(tr(ui.locale, "booking_ref_shown", label=label, ref=callback.booking_ref))
        )
    lines.append(ft.Text(tr(ui.locale, "missed_call"), size=13))
    if window is not None:
        lines.append(AddToCalendar(callbacks, ui, callback))
    return lines


@ft.component
def AddToCalendar(callbacks: CallbacksState, ui: UiState, callback: CallbackRecord) -> ft.Control:
    """Saves an .ics file: a download in the browser, a save dialog on a desktop."""
    page = ft.context.page
    picker = ft.use_memo(ft.FilePicker, dependencies=[])

    async def save() -> None:
        company = callbacks.company.name if callbacks.company else ""
        caller = callbacks.caller_number()
        data = callbacks.calendar_file(
            callback,
            summary=tr(ui.locale, "calendar_summary", company=company),
            description=tr(
                ui.locale,
                "calendar_description",
                company=company,
                number=display(callback.phone),
                queue=callbacks.queue_name(callback.queue_id),
                caller=display(caller) if caller else "",
            ),
            alarm=tr(ui.locale, "calendar_alarm", company=company),
        )
        if data is not None:
            await picker.save_file(
                file_name=CALENDAR_FILE, src_bytes=data, allowed_extensions=["ics"]
            )

    return ft.OutlinedButton(
        tr(ui.locale, "add_to_calendar"),
        icon=ft.Icons.EVENT,
        on_click=lambda: page.run_task(save),
    )


@ft.component
def CallbackScreen(
    callbacks: CallbacksState,
    sync: SyncState,
    notices: NoticesState,
    ui: UiState,
    callback_id: str,
) -> ft.View:
    page = ft.context.page
    callback = callbacks.callback(callback_id)
    server_id = callback.server_id if callback else None
    use_showing(notices, f"/callbacks/{server_id}" if server_id else None)
    if callback is None:
        return missing_view(
            ui,
            title_key="nav_callbacks",
            message_key="callback_missing",
            back_key="back_to_callbacks",
            back_to="/callbacks",
        )
    booked = confirmation(callbacks, ui, callback)
    body: list[ft.Control] = [
        ft.Row(
            [
                ft.Text(
                    callbacks.queue_name(callback.queue_id),
                    theme_style=ft.TextThemeStyle.TITLE_LARGE,
                ),
                status_chip(ui, callback.status),
            ],
            wrap=True,
        ),
        *(
            booked
            or [
                ft.Row(
                    [ft.Icon(ft.Icons.SCHEDULE), ft.Text(callback_time(callbacks, ui, callback))]
                ),
                ft.Row([ft.Icon(ft.Icons.PHONE), ft.Text(display(callback.phone))]),
            ]
        ),
        *([ft.Text(callback.note, italic=True)] if callback.note else []),
        *sync_marker(ui, callback.sync_state, callback.error),
    ]
    if callback.sync_state == "pending" and sync.offline:
        body.append(ft.Text(tr(ui.locale, "saved_offline"), size=13))
    body += alternatives(callbacks, ui, callback)
    if callback.status == "rejected":

        async def dismiss() -> None:
            await callbacks.dismiss(callback.local_id)
            page.navigate("/callbacks")

        body.append(
            ft.TextButton(tr(ui.locale, "dismiss"), on_click=lambda: page.run_task(dismiss))
        )
    body.append(Actions(callbacks, ui, callback))
    body += error_line(ui, callbacks.action_error)  # a change the device could not keep
    return detail_view(title=tr(ui.locale, "your_callback"), body=body)


@ft.component
def CallbackRoute() -> ft.View:
    window = use_window()
    callback_id = str(ft.use_route_params().get("id", ""))
    return CallbackScreen(window.callbacks, window.sync, window.notices, window.ui, callback_id)
