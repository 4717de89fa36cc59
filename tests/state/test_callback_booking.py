"""The booking form's new promises, against the in-process hub: 'as soon as possible'
closed says when it opens and opens the picker; every free time grouped by part of the
day with a day row that moves; a booking reference checked in the company's format; the
customer's language and the number we call from; the confirmation's calendar file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.backend import slots
from app.backend.crud import queues
from app.schemas import CallbackMode
from app.state.callback_times import DAYS_SHOWN
from app.state.cases import CasesState
from app.state.runtime import DeviceRuntime
from tests.state.support import booking_form, hub_callbacks
from tests.sync.support import Rig

PHONE = "(312) 555-0100"


def close_until_later(rig: Rig) -> datetime:
    """Open the queue only on the day after tomorrow (UTC), 09:00-17:00; returns when."""
    opens_day = datetime.now(UTC).date() + timedelta(days=2)
    hours = {slots.WEEKDAYS[opens_day.weekday()]: [["09:00", "17:00"]]}
    with rig.db.write() as conn:
        queues.set_hours(conn, queue_id="help", hours=hours)
    return datetime(opens_day.year, opens_day.month, opens_day.day, 9, tzinfo=UTC)


async def test_asap_closed_says_when_it_opens_and_opens_the_picker(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    opens = close_until_later(rig)
    state = await booking_form(rig, runtime)
    assert state.asap_closed() and state.asap_opens_at() == opens
    assert state.mode is CallbackMode.slot, "the time picker is open instead"
    state.choose_mode(CallbackMode.asap)
    assert state.mode is CallbackMode.slot, "'as soon as possible' is not selectable"
    assert state.days() and state.days()[0] == opens.date()


async def test_every_free_time_grouped_by_part_of_the_day(rig: Rig, runtime: DeviceRuntime) -> None:
    state = await booking_form(rig, runtime, zone="America/Chicago")
    day = state.days()[1]  # a whole day: the first one starts at the next free time
    groups = state.slot_groups(day)
    assert [name for name, _ in groups] == ["morning", "afternoon", "evening"]
    grouped = [s for _, found in groups for s in found]
    assert grouped == state.slots_on(day), "every free time, once, in order"
    zone = ZoneInfo("America/Chicago")
    for name, found in groups:
        hours = {s.start.astimezone(zone).hour for s in found}
        expected = {"morning": range(0, 12), "afternoon": range(12, 17), "evening": range(17, 24)}
        assert hours <= set(expected[name]), name


async def test_the_day_row_moves_to_later_and_earlier_days(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    with rig.db.write() as conn:  # bookable, with agents on duty, for the next twelve days
        row = queues.queue_row(conn, "help")
        queue = queues.queue_from_row(row).model_copy(update={"horizon_days": 12})
        queues.save_queue(conn, queue=queue, handle_minutes=row.handle_minutes)
        queues.set_staffing(
            conn, queue_id="help", starts_at=start, ends_at=start + timedelta(days=12), agents=2
        )
    state = await booking_form(rig, runtime)
    days = state.days()
    assert len(days) > DAYS_SHOWN
    assert state.shown_days() == days[:DAYS_SHOWN] and not state.has_earlier_days()
    state.later_days()
    assert state.shown_days() == days[DAYS_SHOWN : 2 * DAYS_SHOWN]
    assert state.day == days[DAYS_SHOWN], "the first day shown is chosen"
    assert state.has_earlier_days()
    state.earlier_days()
    assert state.shown_days() == days[:DAYS_SHOWN]


async def test_a_booking_reference_in_another_format_keeps_the_form(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    state = await booking_form(rig, runtime)
    assert state.company is not None and state.company.booking_ref is not None
    assert state.company.booking_ref.pattern == r"^[A-Z0-9]{6}$"
    assert await state.book(PHONE, "", booking_ref="K7Q-2") is None
    assert state.errors == {"booking_ref": "invalid_booking_ref"}
    assert runtime.personal.outbox.pending() == [], "nothing written"


async def test_reference_language_and_caller_number_reach_the_hub(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    state = await booking_form(rig, runtime)
    state.choose_mode(CallbackMode.slot)
    state.choose_slot(state.slots_on(state.days()[1])[0].start)
    local_id = await state.book(PHONE, "", booking_ref=" k7q2xm ", language="es")
    assert local_id is not None and state.errors == {}
    [queued] = runtime.personal.outbox.pending()
    assert (queued.args["booking_ref"], queued.args["language"]) == ("K7Q2XM", "es")
    await runtime.engine.sync()
    [booked] = hub_callbacks(rig)
    assert (booked.booking_ref, booked.language) == ("K7Q2XM", "es")
    assert state.caller_number() == "+18005550100"
    view = state.callback(local_id)
    assert view is not None and view.booking_ref == "K7Q2XM"
    window = state.window(view)
    assert window is not None and window[1] - window[0] == timedelta(minutes=30)
    ics = state.calendar_file(view, summary="Call", description="d", alarm="a")
    assert ics is not None and b"DTSTART:" + window[0].strftime("%Y%m%dT%H%M%SZ").encode() in ics


async def test_a_case_takes_a_reference_in_the_company_format(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    rig.sign_in()
    await runtime.engine.sync()
    cases = CasesState(runtime)
    await cases.load()
    typed: dict[str, Any] = {"subject": "My trip", "description": "Rebook me", "category": None}
    assert await cases.submit(**typed, booking_ref="nope!") is None
    assert cases.errors == {"booking_ref": "invalid_booking_ref"}
    local_id = await cases.submit(**typed, booking_ref="k7q2xm")
    assert local_id is not None
    [queued] = runtime.personal.outbox.pending()
    assert queued.args["booking_ref"] == "K7Q2XM"
