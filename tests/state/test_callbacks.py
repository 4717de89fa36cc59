"""Callbacks state against the in-process hub: booking ASAP or a slot, offline booking,
cancel and reschedule, a full slot refused with alternatives, and days in the customer's zone."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from app.api import Offline
from app.schemas import CallbackMode, CallbackStatus
from app.schemas.common import parse_time
from app.state.callbacks import CallbacksState
from app.state.runtime import DeviceRuntime
from tests.state.support import PHONE, booking_form, fill_slot, hub_callbacks
from tests.sync.support import Rig

E164 = "+13125550100"


async def test_asap_booking_reaches_the_hub_exactly_once(rig: Rig, runtime: DeviceRuntime) -> None:
    state = await booking_form(rig, runtime)
    assert [q.id for q in state.queues] == ["help"] and state.queue_id == "help"
    assert not state.asap_closed() and state.asap_wait() == 1
    local_id = await state.book(f"  {PHONE} ", "  About my bag ")
    assert local_id is not None and state.errors == {}
    [queued] = runtime.personal.outbox.pending()
    assert queued.name.value == "callback.request"
    assert (queued.args["phone"], queued.args["note"]) == (E164, "About my bag")
    [view] = state.callbacks
    assert (view.local_id, view.status, view.sync_state) == (local_id, "requested", "pending")
    assert CallbacksState(runtime).phone == PHONE, "the number is remembered for next time"
    await runtime.engine.sync()
    await runtime.engine.sync()
    [booked] = hub_callbacks(rig)
    assert (booked.mode, booked.status) == (CallbackMode.asap, CallbackStatus.requested)
    assert (booked.phone, booked.note, booked.client_ref) == (E164, "About my bag", local_id)
    await state.load()
    [view] = state.callbacks
    assert (view.server_id, view.sync_state) == (booked.id, "synced")
    assert runtime.personal.outbox.counts() == {"pending": 0, "rejected": 0}


async def test_form_errors_keep_the_form_and_write_nothing(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    state = await booking_form(rig, runtime)
    state.choose_mode(CallbackMode.slot)
    assert await state.book(PHONE) is None
    assert state.errors == {"slot": "choose_slot"}
    chosen = state.slots()[2].start  # today may have fewer than three left
    state.choose_day(chosen.astimezone(state.zone).date())
    state.choose_slot(chosen)
    assert await state.book("12345") is None
    assert state.errors == {"phone": "invalid_phone"}
    assert (state.mode, state.slot) == (CallbackMode.slot, chosen), "the form is kept"
    assert await state.book(PHONE, "x" * 2001) is None
    assert state.errors == {"note": "note_too_long"}
    assert runtime.personal.outbox.counts() == {"pending": 0, "rejected": 0}
    assert runtime.personal.callbacks.list() == []
    assert runtime.personal.account.preference("phone") is None


async def test_slot_booking_then_reschedule_and_cancel_reach_the_hub(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    state = await booking_form(rig, runtime)
    first, later = state.slots()[3], state.slots()[6]
    assert first.remaining == 60
    state.choose_mode(CallbackMode.slot)
    state.choose_slot(first.start)
    local_id = await state.book(PHONE)
    assert local_id is not None
    await runtime.engine.sync()
    [booked] = hub_callbacks(rig)
    assert (booked.status, booked.slot_start) == (CallbackStatus.scheduled, first.start)
    await state.fetch_slots()
    assert next(s for s in state.slots() if s.start == first.start).remaining == 59

    await state.start_reschedule(local_id)
    assert (state.rescheduling, state.queue_id) == (local_id, "help")
    await state.reschedule(local_id, later.start)
    assert state.rescheduling is None
    view = state.callback(local_id)
    assert view is not None and view.slot_start is not None
    assert (parse_time(view.slot_start), view.sync_state) == (later.start, "pending")
    await runtime.engine.sync()
    [moved] = hub_callbacks(rig)
    assert (moved.id, moved.slot_start) == (booked.id, later.start)

    await state.cancel(local_id)
    assert state.callback(local_id).status == "cancelled"  # type: ignore[union-attr]
    await runtime.engine.sync()
    [cancelled] = hub_callbacks(rig)
    assert cancelled.status is CallbackStatus.cancelled
    await state.fetch_slots()
    assert next(s for s in state.slots() if s.start == first.start).remaining == 60


async def test_offline_booking_keeps_free_times_and_is_delivered_later(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    state = await booking_form(rig, runtime)
    cached = state.availability["help"]
    rig.transport.down = True
    await state.fetch_slots()
    assert (state.slots_error, state.slots_loading) == ("offline", False)
    assert state.availability["help"] == cached and state.slots() == cached.slots
    assert state.day == state.days()[0]
    local_id = await state.book(PHONE)
    assert local_id is not None
    [queued] = runtime.personal.outbox.pending()
    assert queued.entity_id == local_id
    with pytest.raises(Offline):
        await runtime.engine.sync()
    assert runtime.personal.outbox.counts()["pending"] == 1
    assert hub_callbacks(rig) == []
    rig.transport.down = False
    await runtime.engine.sync()
    [delivered] = hub_callbacks(rig)
    assert delivered.client_ref == local_id
    await state.fetch_slots()
    assert state.slots_error is None


async def test_full_slot_is_refused_and_an_alternative_replaces_the_request(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    state = await booking_form(rig, runtime)
    wanted = state.slots()[4].start
    state.choose_mode(CallbackMode.slot)
    state.choose_slot(wanted)
    refused_id = await state.book(PHONE, "window seat")
    assert refused_id is not None
    fill_slot(rig, wanted)
    report = await runtime.engine.sync()
    assert report.rejected == 1 and hub_callbacks(rig) == []
    await state.load()
    refused = state.callback(refused_id)
    assert refused is not None and refused.error is not None
    assert (refused.status, refused.sync_state, refused.error.code) == (
        "rejected",
        "rejected",
        "slot_full",
    )
    offered = refused.error.alternatives or []
    assert len(offered) == 3 and all(parse_time(a["start"]) != wanted for a in offered)

    new_id = await state.take_alternative(refused_id, offered[0]["start"])
    assert new_id != refused_id
    assert state.callback(refused_id) is None
    assert runtime.personal.callbacks.get(refused_id) is None
    assert runtime.personal.outbox.counts() == {"pending": 1, "rejected": 0}
    await runtime.engine.sync()
    [booked] = hub_callbacks(rig)
    assert booked.slot_start == parse_time(offered[0]["start"])
    assert (booked.client_ref, booked.note) == (new_id, "window seat")


async def refused_move(rig: Rig, runtime: DeviceRuntime) -> tuple[CallbacksState, str, datetime]:
    """A booked slot, then a move to a slot someone else filled; returns the slot kept."""
    state = await booking_form(rig, runtime)
    first, full = state.slots()[2].start, state.slots()[8].start
    state.choose_mode(CallbackMode.slot)
    state.choose_slot(first)
    local_id = await state.book(PHONE)
    assert local_id is not None
    await runtime.engine.sync()
    fill_slot(rig, full)
    await state.reschedule(local_id, full)
    await runtime.engine.sync()
    await state.load()
    return state, local_id, first


async def test_refused_move_keeps_the_old_time_and_moves_to_an_alternative(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    state, local_id, first = await refused_move(rig, runtime)
    view = state.callback(local_id)
    assert view is not None and view.error is not None and view.error.code == "slot_full"
    assert view.slot_start is not None and parse_time(view.slot_start) == first
    assert (view.status, view.sync_state) == ("scheduled", "synced")
    [kept] = hub_callbacks(rig)
    assert kept.slot_start == first

    start = (view.error.alternatives or [])[0]["start"]
    assert await state.take_alternative(local_id, start) == local_id
    await runtime.engine.sync()
    [moved] = hub_callbacks(rig)
    assert moved.slot_start == parse_time(start)
    await state.load()
    assert state.callback(local_id).error is None  # type: ignore[union-attr]


async def test_taking_an_alternative_clears_the_refused_move(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    state, local_id, _ = await refused_move(rig, runtime)
    view = state.callback(local_id)
    assert view is not None and view.error is not None
    await state.take_alternative(local_id, (view.error.alternatives or [])[0]["start"])
    await runtime.engine.sync()
    assert runtime.personal.outbox.counts() == {"pending": 0, "rejected": 0}


async def test_days_and_slots_follow_the_customer_time_zone(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    tokyo = await booking_form(rig, runtime, "Asia/Tokyo")
    chicago = CallbacksState(runtime, zone=ZoneInfo("America/Chicago"))
    await chicago.start_booking("help")
    assert tokyo.slots() == chicago.slots() and len(tokyo.slots()) > 100
    for state in (tokyo, chicago):
        days = state.days()
        assert days == sorted(set(days)) and state.day == days[0]
        grouped = [s for day in days for s in state.slots_on(day)]
        assert grouped == state.slots(), "every free slot shows on exactly one day"
        for day in days[1:]:
            opening = state.slots_on(day)[0].start.astimezone(state.zone)
            assert (opening.date(), opening.time()) == (day, time(0, 0))
    split = next(
        s
        for s in tokyo.slots()
        if s.start.astimezone(tokyo.zone).date() != s.start.astimezone(chicago.zone).date()
    )
    tokyo_day, chicago_day = (split.start.astimezone(s.zone).date() for s in (tokyo, chicago))
    assert split in tokyo.slots_on(tokyo_day) and split not in chicago.slots_on(tokyo_day)
    assert split in chicago.slots_on(chicago_day)
    assert tokyo.slots_on(None) == []
