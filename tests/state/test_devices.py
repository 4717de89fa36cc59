"""The app hosted for many browsers, at the state level against a real hub process: each
browser is a device with its own personal store, the public content is synced once for
all of them, and a device's outbox is delivered even when no window is left open."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import httpx
import pytest

from app.schemas import CallbackMode
from app.state.cases import CasesState
from app.state.devices import Device
from app.state.hosting import Hosting
from app.state.window import WindowState
from app.sync import Backoff
from tests.hub_process import RealHub
from tests.state.support import until
from tests.support import bearer

pytestmark = pytest.mark.server
PHONE = "+13125550100"


def hub_get(hub: RealHub, token: str, path: str) -> list[dict[str, object]]:
    found = httpx.get(f"{hub.url}{path}", headers=bearer(token))
    assert found.status_code == 200, found.text
    items: list[dict[str, object]] = found.json()["items"]
    return items


def quick(device: Device) -> Device:
    device.runtime.scheduler.backoff = Backoff(base=0.05, cap=0.3)
    return device


async def test_twenty_devices_offline_each_delivered_once_and_kept_apart(
    hub: RealHub, hosting: Hosting
) -> None:
    await until(lambda: hosting.shared.store.content.queues())
    attached = await asyncio.gather(*(hosting.devices.attach(None) for _ in range(20)))
    devices = [quick(device) for device, _ in attached]
    assert len({d.id for d in devices}) == 20 and all(issued for _, issued in attached)
    sessions = hub.sessions([f"traveller{n}@example.com" for n in range(20)])
    slots = (await hosting.shared.client.availability("rebooking", limit=20)).slots
    hub.stop()  # every device is offline from here

    for n, (device, (token, customer)) in enumerate(zip(devices, sessions, strict=True)):
        personal = device.runtime.personal
        await asyncio.to_thread(personal.account.sign_in, token, customer)
        cases = CasesState(device.runtime)
        assert await cases.submit(subject=f"Stuck {n}", description="ORD", category=None)
        await asyncio.to_thread(
            personal.callbacks.request,
            queue_id="rebooking",
            mode=CallbackMode.slot,
            phone=PHONE,
            slot_start=slots[n].start,
        )
    # One copy of the help centre for all of them, in the process's public store.
    assert hosting.shared.store.search.search("baggage")
    assert all(d.runtime.public is hosting.shared.store for d in devices)

    hub.start()
    await asyncio.gather(*(d.runtime.scheduler.sync_now() for d in devices))
    for n, (device, (token, _)) in enumerate(zip(devices, sessions, strict=True)):
        personal = device.runtime.personal
        assert [c.subject for c in personal.cases.list()] == [f"Stuck {n}"]
        assert [c.sync_state for c in personal.cases.list()] == ["synced"]
        assert [c.sync_state for c in personal.callbacks.list()] == ["synced"]
        assert [c["subject"] for c in hub_get(hub, token, "/v1/cases")] == [f"Stuck {n}"]
        assert len(hub_get(hub, token, "/v1/callbacks")) == 1


async def test_a_closed_tab_s_outbox_is_delivered_and_then_the_device_leaves_memory(
    hub: RealHub, hosting: Hosting
) -> None:
    device, _ = await hosting.devices.attach(None)
    quick(device)
    [(token, customer)] = hub.sessions(["noor@example.com"])
    await asyncio.to_thread(device.runtime.personal.account.sign_in, token, customer)
    hub.stop()
    await CasesState(device.runtime).submit(subject="Lost bag", description="Blue", category=None)
    await until(lambda: (device.folder / "outbox").exists())
    hosting.devices.detach(device)  # the tab closes with the case still waiting
    hosting.devices.idle_seconds = 0
    assert await hosting.devices.unload_idle() == 0, "kept in memory while its outbox waits"

    hub.start()
    await until(lambda: not (device.folder / "outbox").exists())
    assert [c["subject"] for c in hub_get(hub, token, "/v1/cases")] == ["Lost bag"]
    assert await hosting.devices.unload_idle() == 1
    assert device.id not in hosting.devices.loaded


async def test_a_restarted_server_delivers_what_a_device_left_waiting(
    hub: RealHub, tmp_path: Path
) -> None:
    first = Hosting(tmp_path / "app", hub.url)
    await first.start()
    device, credential = await first.devices.attach(None)
    [(token, customer)] = hub.sessions(["sam@example.com"])
    await asyncio.to_thread(device.runtime.personal.account.sign_in, token, customer)
    hub.stop()
    await CasesState(device.runtime).submit(subject="Refund", description="NW 12", category=None)
    await until(lambda: (device.folder / "outbox").exists())
    await first.close()  # the server stops (a deploy) with the case unsent

    hub.start()
    second = Hosting(tmp_path / "app", hub.url)
    await second.start()
    try:
        await until(lambda: len(hub_get(hub, token, "/v1/cases")) == 1)
        again, issued = await second.devices.attach(credential)
        assert issued is None and again.id == device.id
        cases = again.runtime.personal.cases
        await until(lambda: [c.sync_state for c in cases.list()] == ["synced"])
    finally:
        await second.close()
    assert [c["subject"] for c in hub_get(hub, token, "/v1/cases")] == ["Refund"]


async def test_a_browser_key_names_its_own_device_and_nothing_else(hosting: Hosting) -> None:
    device, credential = await hosting.devices.attach(None)
    assert credential is not None
    device_id, secret = credential.split(".")
    assert len(secret) >= 43, "256 random bits"
    # Two windows of one browser at once, the device out of memory: one device, opened once.
    hosting.devices.detach(device)
    hosting.devices.idle_seconds = 0
    assert await hosting.devices.unload_idle() == 1
    both = await asyncio.gather(*(hosting.devices.attach(credential) for _ in range(2)))
    assert both[0][0] is both[1][0] and both[0][0].id == device_id
    assert [issued for _, issued in both] == [None, None]
    forged = [
        f"{device_id}.{'A' * 43}",  # someone's device id, a guessed secret
        f"{'0' * 32}.{secret}",  # a device that does not exist
        f"../../{device_id}.{secret}",
        "",
        "x" * 10_000,
    ]
    for key in forged:
        other, issued = await hosting.devices.attach(key)
        assert issued is not None and other.id not in (device_id, "0" * 32)


async def test_devices_unused_for_too_long_are_forgotten(hosting: Hosting) -> None:
    registry = hosting.devices
    used, _ = await registry.attach(None)
    old, credential = await registry.attach(None)
    registry.detach(old)
    registry.idle_seconds = 0
    await registry.unload_idle()
    month_ago = time.time() - 31 * 86400
    for device in (used, old):  # `used` is still open in a window: it stays
        os.utime(device.folder / "seen", (month_ago, month_ago))
    assert await registry.forget_expired() == 1
    assert not old.folder.exists() and used.folder.exists()
    again, issued = await registry.attach(credential)
    assert issued is not None and again.id != old.id


async def test_language_and_notices_are_per_device(hosting: Hosting) -> None:
    first, _ = await hosting.devices.attach(None)
    second, _ = await hosting.devices.attach(None)
    spanish = WindowState(first.runtime, width=390, run_task=lambda *_: None)
    english = WindowState(second.runtime, width=390, run_task=lambda *_: None)
    await spanish.set_locale("es")
    assert (first.runtime.notices.locale, second.runtime.notices.locale) == ("es", "en")
    assert english.ui.locale == "en"
    later = WindowState(first.runtime, width=1280, run_task=lambda *_: None)
    assert later.ui.locale == "es", "another tab of the same browser"
    for window in (spanish, english, later):
        window.close()
