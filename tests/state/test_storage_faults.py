"""The app on a device that refuses writes, against the in-process hub: a full disk (a
tiny tmpfs filled to the last block) and a read-only data folder (a read-only bind
mount). Forms keep what was typed and say why; pulls that cannot be stored change nothing
and are made again by themselves once there is room; cached content stays on screen."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.api import HubClient
from app.backend.crud import kb, status
from app.schemas import CallbackMode, Impact
from app.state.alerts import AlertsState
from app.state.callbacks import CallbacksState
from app.state.cases import CasesState
from app.state.help import HelpState
from app.state.runtime import DeviceRuntime
from app.state.window import WindowState
from app.store import LocalStores, StorageFull, open_local
from app.sync import Backoff
from tests.state.support import PHONE, hub_callbacks, hub_case
from tests.store.disk import TinyDisk, read_only, tiny_disk
from tests.sync.support import Rig


@dataclass
class Device:
    """The app's device runtime on its own data folder, syncing with the rig's hub."""

    rig: Rig  # the rig's store, client and engine are this device's
    runtime: DeviceRuntime
    tasks: list[asyncio.Task[Any]]

    @property
    def store(self) -> LocalStores:
        return self.rig.store

    def fill(self, disk: TinyDisk) -> None:
        """Fill the disk the device's stores are on (their logs checkpointed first)."""
        disk.fill(self.store.personal.db, self.store.public.db)

    def window(self) -> WindowState:
        def run_task(handler: Callable[..., Any], *args: Any) -> None:
            self.tasks.append(asyncio.ensure_future(handler(*args)))

        return WindowState(self.runtime, width=390, run_task=run_task)

    async def settle(self) -> None:
        """Let what the sessions were handed (from worker threads too) run."""
        for _ in range(3):
            await asyncio.sleep(0.01)
            await asyncio.gather(*self.tasks)


async def device_on(rig: Rig, store: LocalStores) -> Device:
    client = HubClient(
        "http://hub.test", token=store.personal.account.token, transport=rig.transport
    )
    runtime = DeviceRuntime.create(
        data_dir=None, hub_url="http://hub.test", stores=store, client=client
    )
    runtime.scheduler.backoff = Backoff(base=0.05, cap=0.2)
    return Device(replace(rig, store=store, client=client, engine=runtime.engine), runtime, [])


async def close(device: Device) -> None:
    await device.runtime.scheduler.stop()
    await device.runtime.live.stop()
    await device.settle()  # what the last sync handed the sessions reads the store
    await device.runtime.client.aclose()
    device.store.close()


@pytest.fixture
async def full(rig: Rig, tmp_path: Path) -> AsyncIterator[tuple[Device, TinyDisk]]:
    """A device whose data folder is on a tiny disk (`fill` it, then `free` it)."""
    with tiny_disk(tmp_path / "device") as disk:
        device = await device_on(rig, open_local(disk.folder))
        try:
            yield device, disk
        finally:
            await close(device)


def hub_incident(rig: Rig, title: str) -> None:
    with rig.db.write() as conn:
        status.publish_incident(
            conn, title=title, impact=Impact.major, components_affected=[], body="Snow."
        )


def hub_article(rig: Rig, slug: str, title: str) -> None:
    with rig.db.write() as conn:
        kb.save_article(
            conn, slug=slug, locale="en", title=title, body="Ask at the gate.", category="baggage"
        )


async def test_a_case_that_cannot_be_stored_keeps_the_form_and_says_why(
    full: tuple[Device, TinyDisk],
) -> None:
    device, disk = full
    device.rig.sign_in()
    window = device.window()
    await window.start()
    cases = window.cases
    cases.start_case()
    cases.add_files([("itinerary.txt", b"NW 412 ORD-BOS")])
    device.fill(disk)

    def send() -> Awaitable[str | None]:  # what the customer typed, sent as it stands
        return cases.submit(
            subject="Stuck at ORD", description="NW 412 was cancelled", category=None
        )

    assert await send() is None
    assert cases.errors == {"form": "storage_full"}
    assert [f.filename for f in cases.files] == ["itinerary.txt"], "the form keeps its file"
    assert device.runtime.personal.cases.list() == []
    assert device.runtime.personal.outbox.counts() == {"pending": 0, "rejected": 0}
    await device.settle()
    assert window.storage.problem == "full", "the banner says the device is full"
    disk.free()
    local_id = await send()
    assert local_id is not None and cases.errors == {}
    await device.settle()
    assert window.storage.problem is None
    await device.runtime.engine.sync()
    [case] = device.runtime.personal.cases.list()
    assert case.server_id is not None
    sent = hub_case(device.rig, case.server_id)
    assert [a.filename for a in sent.attachments] == ["itinerary.txt"]
    window.close()


async def test_a_reply_that_cannot_be_stored_stays_in_the_box(
    full: tuple[Device, TinyDisk],
) -> None:
    device, disk = full
    device.rig.sign_in()
    cases = CasesState(device.runtime)
    local_id = await cases.submit(subject="Lost bag", description="Blue", category=None)
    assert local_id is not None
    await cases.open_case(local_id)
    cases.add_files([("tag.txt", b"ORD123456")], reply=True)
    device.fill(disk)
    assert not await cases.reply("It has a red ribbon")
    assert cases.reply_error == "storage_full"
    assert [f.filename for f in cases.reply_files] == ["tag.txt"]
    await cases.open_case(local_id)  # reading the case still works while full
    assert cases.current is not None and cases.current.messages == []
    cases.add_files([("tag.txt", b"ORD123456")], reply=True)
    disk.free()
    assert await cases.reply("It has a red ribbon")
    assert cases.reply_error is None
    assert cases.current is not None
    assert [m.body for m in cases.current.messages] == ["It has a red ribbon"]


async def test_a_callback_request_that_cannot_be_stored_keeps_the_form(
    full: tuple[Device, TinyDisk],
) -> None:
    device, disk = full
    device.rig.sign_in()
    await device.runtime.engine.sync()
    callbacks = CallbacksState(device.runtime, zone=ZoneInfo("UTC"))
    await callbacks.start_booking("help")
    callbacks.choose_mode(CallbackMode.slot)
    slot = callbacks.slots()[1].start
    callbacks.choose_slot(slot)
    device.fill(disk)
    assert await callbacks.book(PHONE, "Rebook me on the evening flight") is None
    assert callbacks.errors == {"form": "storage_full"}
    assert (callbacks.queue_id, callbacks.mode, callbacks.slot) == ("help", CallbackMode.slot, slot)
    assert device.runtime.personal.callbacks.list() == []
    disk.free()
    local_id = await callbacks.book(PHONE, "Rebook me on the evening flight")
    assert local_id is not None and callbacks.errors == {}
    await device.runtime.engine.sync()
    [booked] = hub_callbacks(device.rig)
    assert booked.slot_start == slot and booked.note == "Rebook me on the evening flight"


async def test_a_vote_that_cannot_be_stored_is_not_counted(
    full: tuple[Device, TinyDisk],
) -> None:
    device, disk = full
    await device.runtime.engine.sync()
    help_ = HelpState(device.runtime)
    await help_.open_article("lost-bag")
    device.fill(disk)
    await help_.give_feedback(False, "Say where the desk is")
    assert help_.vote_refused == "storage_full"
    assert help_.vote is None, "the question is asked again, to send once there is room"
    disk.free()
    await help_.give_feedback(False, "Say where the desk is")
    assert help_.vote_refused is None
    assert (help_.vote, help_.vote_pending) == (False, False), "stored, then sent at once"


async def test_pulls_that_cannot_be_stored_change_nothing_and_resume_by_themselves(
    full: tuple[Device, TinyDisk],
) -> None:
    device, disk = full
    store = device.store
    window = device.window()
    await window.start()
    await window.sync_now()
    feeds_before = (store.public.feeds.feed("status"), store.public.feeds.feed("kb"))
    hub_incident(device.rig, "Snow at BOS")
    device.fill(disk)
    assert await device.runtime.scheduler.sync_now() is None, "no crash: a failed attempt"
    assert device.runtime.scheduler.status.last_error == "storage_full"
    assert store.public.content.incidents() == []
    assert (store.public.feeds.feed("status"), store.public.feeds.feed("kb")) == feeds_before
    assert store.public.db.integrity_ok()
    await device.settle()
    assert window.storage.problem == "full"
    # Left to itself, the scheduler keeps trying; once there is room the pull lands.
    device.runtime.scheduler.start()
    await asyncio.sleep(0.5)
    assert store.public.content.incidents() == [], "nothing stored while the disk is full"
    disk.free()
    for _ in range(100):
        if store.public.content.incidents():
            break
        await asyncio.sleep(0.05)
    assert [i.title for i in store.public.content.incidents()] == ["Snow at BOS"]
    await device.settle()
    assert window.storage.problem is None and window.sync.last_error is None
    assert [i.title for i in window.status.active] == ["Snow at BOS"]
    window.close()


async def test_a_help_centre_load_cut_short_by_a_full_disk_is_indexed_after(
    full: tuple[Device, TinyDisk],
) -> None:
    """A first sync indexes articles once at the end; cut short by a full disk, the search
    index triggers are off. The next sync puts them back before storing more articles."""
    device, disk = full
    store = device.store
    await device.runtime.engine.sync()

    def cut_short() -> None:
        with store.public.content.bulk_articles():  # search triggers off until it ends
            device.fill(disk)
            store.personal.account.set_preference("locale", "es")  # no room; nor at the end

    with pytest.raises(StorageFull):
        cut_short()
    with store.public.db.transaction() as conn:
        triggers = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
        assert triggers.fetchone()[0] == 0
    disk.free()
    hub_article(device.rig, "pets", "Pets in the cabin")
    await device.runtime.engine.sync()
    assert [h.slug for h in store.public.search.search("pets")] == ["pets"]


async def test_a_read_only_data_folder_still_shows_what_was_saved(rig: Rig, tmp_path: Path) -> None:
    folder = tmp_path / "device"
    device = await device_on(rig, open_local(folder))
    device.rig.sign_in()
    hub_incident(rig, "Snow at BOS")
    cases = CasesState(device.runtime)
    await cases.submit(subject="Lost bag", description="Blue", category=None)
    await device.runtime.engine.sync()
    await close(device)
    with read_only(folder):
        device = await device_on(rig, open_local(folder))
        try:
            window = device.window()
            await window.start()
            assert window.storage.problem == "read_only"
            assert [i.title for i in window.status.active] == ["Snow at BOS"]
            assert [c.subject for c in window.cases.cases] == ["Lost bag"]
            await window.help.search("lugage")
            assert [h.slug for h in window.help.results] == ["lost-bag"]
            assert window.account.customer is not None
            assert (
                await window.cases.submit(subject="Second", description="Another", category=None)
                is None
            )
            assert window.cases.errors == {"form": "storage_read_only"}
            assert await device.runtime.scheduler.sync_now() is None
            assert device.runtime.scheduler.status.last_error == "storage_read_only"
            await window.set_locale("es")  # shown now, not remembered: no crash
            assert window.ui.locale == "es"
            window.close()
        finally:
            await close(device)


async def test_alerts_the_device_cannot_store_keep_the_old_ones_and_say_why(
    full: tuple[Device, TinyDisk],
) -> None:
    device, disk = full
    alerts = AlertsState(device.runtime)
    await alerts.load()
    device.fill(disk)
    assert await alerts.add_key("ord") is False, "the field keeps what was typed"
    assert alerts.error == "storage_full"
    assert alerts.subscriptions.keys == [], "nothing is shown as followed that was not kept"
    disk.free()
    await alerts.add_key("ord")
    assert (alerts.error, alerts.subscriptions.keys, alerts.sync_state) == (
        None,
        ["ORD"],
        "pending",
    )
    assert device.runtime.personal.account.subscriptions().keys == ["ORD"]
