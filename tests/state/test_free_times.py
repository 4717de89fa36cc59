"""Free callback times last seen: kept in the public store, offered after a restart
without the hub (marked with when they were seen, those passed since left out), and a
booking made from them delivered once the hub is back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from app.api import HubClient
from app.schemas import CallbackMode, Slot
from app.state.callbacks import CallbacksState
from app.state.runtime import DeviceRuntime
from app.store import open_local
from tests.state.support import PHONE, booking_form, hub_callbacks
from tests.sync.support import Rig


async def test_free_times_seen_online_are_offered_after_a_restart_without_the_hub(
    rig: Rig, runtime: DeviceRuntime, tmp_path: Path
) -> None:
    state = await booking_form(rig, runtime)
    assert state.slots_error is None and state.as_of() is None
    online = state.slots()
    assert len(online) > 10
    kept = runtime.public.free_times.last("help")
    assert kept is not None and kept.availability.slots == state.availability["help"].slots
    # A time that has passed since it was seen (the hub only ever sends times ahead).
    now = datetime.now(UTC)
    passed = Slot(start=now - timedelta(hours=1), end=now - timedelta(minutes=30), remaining=2)
    answer = kept.availability.model_copy(update={"slots": [passed, *kept.availability.slots]})
    runtime.public.free_times.keep("help", answer, kept.fetched_at)

    # The app restarts over the same files, with the hub unreachable.
    await runtime.live.stop()
    await runtime.scheduler.stop()
    rig.store.close()
    rig.transport.down = True
    stores = open_local(tmp_path / "app")
    client = HubClient(
        "http://hub.test", token=stores.personal.account.token, transport=rig.transport
    )
    restarted = DeviceRuntime.create(
        data_dir=None, hub_url="http://hub.test", stores=stores, client=client
    )
    again = CallbacksState(restarted, zone=ZoneInfo("UTC"))
    try:
        await again.start_booking("help")
        assert again.slots_error == "offline" and not again.slots_loading
        assert again.as_of() == kept.fetched_at, "marked as last seen, and when"
        assert [s.start for s in again.slots()] == [s.start for s in online]
        assert passed.start not in {s.start for s in again.slots()}
        assert again.days() and again.day == again.days()[0]
        # Their 'as soon as possible' estimate is old news: offered, with no wait.
        assert (again.asap_wait(), again.asap_closed()) == (None, False)

        # A time chosen from them is queued, and reaches the hub once it is back.
        again.choose_mode(CallbackMode.slot)
        again.choose_slot(online[1].start)
        local_id = await again.book(PHONE)
        assert local_id is not None and again.errors == {}
        rig.transport.down = False
        await restarted.engine.sync()
        [booked] = hub_callbacks(rig)
        assert (booked.client_ref, booked.slot_start) == (local_id, online[1].start)
        await again.fetch_slots()
        assert again.slots_error is None and again.as_of() is None
    finally:
        await client.aclose()
        stores.close()


async def test_free_times_shown_when_the_hub_stops_answering_say_when_they_came(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    state = await booking_form(rig, runtime)
    before = datetime.now(UTC)
    await state.fetch_slots()
    assert state.as_of() is None
    rig.transport.down = True
    await state.fetch_slots()
    seen = state.as_of()
    assert state.slots_error == "offline" and seen is not None and seen >= before
    assert state.slots(), "still offered"
