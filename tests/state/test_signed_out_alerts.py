"""Alerts without an account, at the state level against a real hub process: a signed-out
window hears of a disruption at once; what a device followed, and its alerts, join the
account when the customer signs in."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest

from app.backend.crud import subscriptions
from app.backend.db.tables import alert_devices, devices
from app.schemas import Subscriptions
from app.state.alerts import AlertsState
from app.state.hosting import Hosting
from app.state.push import BrowserSubscription, turn_on
from app.state.runtime import DeviceRuntime
from app.state.window import WindowState
from tests.hub_process import RealHub
from tests.state.support import KEYS, hub_db, rows, until
from tests.support import bearer, mutation

pytestmark = pytest.mark.server


def follows_of(hub: RealHub, customer_id: str) -> Subscriptions:
    db = hub_db(hub)
    try:
        with db.read() as conn:
            return subscriptions.get_subscriptions(conn, customer_id=customer_id)
    finally:
        db.dispose()


async def test_a_signed_out_window_hears_of_a_disruption_within_two_seconds(
    hub: RealHub, hosting: Hosting
) -> None:
    device, _ = await hosting.devices.attach(None)
    window = WindowState(device.runtime, width=390, run_task=asyncio.ensure_future)
    await window.start()
    await until(lambda: hosting.shared.live.connected)
    await asyncio.to_thread(
        hub.cli, "incident", "publish", "--title", "Ground stop at Denver", "--impact",
        "critical", "--component", "flights-den",
    )  # fmt: skip
    published = time.monotonic()
    await until(lambda: any(i.title == "Ground stop at Denver" for i in window.status.active), 5)
    assert time.monotonic() - published < 2
    await until(lambda: [n.title for n in window.notices.items] == ["Ground stop at Denver"], 2)
    window.close()


async def test_what_a_device_followed_signed_out_joins_the_account(
    hub: RealHub, hosting: Hosting
) -> None:
    [(token, customer)] = hub.sessions(["mo@example.com"])
    async with httpx.AsyncClient(base_url=hub.url) as client:  # the account, on a phone
        pushed = await client.post(
            "/v1/sync/push",
            json={"client_id": "phone", "mutations": [mutation("subscriptions.set", keys=["BOS"])]},
            headers=bearer(token),
        )
    assert pushed.json()["results"][0]["status"] == "applied"
    device, _ = await hosting.devices.attach(None)
    alerts = AlertsState(device.runtime)
    await alerts.load()
    assert await alerts.add_key("den")
    await device.runtime.scheduler.sync_now()
    assert alerts.sync_state == "pending", "kept for the account until signing in"

    await asyncio.to_thread(device.runtime.personal.account.sign_in, token, customer)
    await device.runtime.scheduler.sync_now()
    assert follows_of(hub, customer.id).keys == ["BOS", "DEN"]


async def test_alerts_turned_on_signed_out_follow_along_and_are_claimed_at_sign_in(
    hub: RealHub, hosting: Hosting
) -> None:
    device, _ = await hosting.devices.attach(None)
    runtime = device.runtime
    subscription = BrowserSubscription(endpoint="https://push.example.com/browser", keys=KEYS)
    await asyncio.to_thread(runtime.personal.account.set_preference, "locale", "es")
    await turn_on(runtime, subscription, browser_address="203.0.113.7")
    [registered] = rows(hub, alert_devices)
    assert registered.endpoint == subscription.endpoint
    assert registered.locale == "es", "its pushes come in the language the customer chose"
    alerts = AlertsState(runtime)
    await alerts.load()
    assert alerts.on_this_device
    assert await alerts.add_key("ord")
    await runtime.scheduler.sync_now()
    [registered] = rows(hub, alert_devices)
    assert Subscriptions.model_validate_json(registered.follows).keys == ["ORD"]

    [(token, customer)] = hub.sessions(["kai@example.com"])
    await asyncio.to_thread(runtime.personal.account.sign_in, token, customer)
    await runtime.scheduler.sync_now()
    assert rows(hub, alert_devices) == []
    [claimed] = rows(hub, devices)
    assert (claimed.customer_id, claimed.endpoint) == (customer.id, subscription.endpoint)
    assert follows_of(hub, customer.id).keys == ["ORD"]
    state = await asyncio.to_thread(runtime.personal.push.state)
    assert (state.hub_device, state.alert_id) == (claimed.id, None)


async def test_a_claim_the_hub_cannot_answer_registers_the_device_the_usual_way(
    hub: RealHub, hosting: Hosting
) -> None:
    """The answer to a claim was lost (or the hub forgot the registration): the hub has no
    registration left to claim, so the device registers as the customer's."""
    device, _ = await hosting.devices.attach(None)
    runtime = device.runtime
    subscription = BrowserSubscription(endpoint="https://push.example.com/lost", keys=KEYS)
    await turn_on(runtime, subscription, browser_address="203.0.113.8")
    db = hub_db(hub)
    try:
        with db.write() as conn:
            conn.execute(alert_devices.delete())
    finally:
        db.dispose()

    [(token, customer)] = hub.sessions(["lee@example.com"])
    await asyncio.to_thread(runtime.personal.account.sign_in, token, customer)
    await runtime.scheduler.sync_now()
    await runtime.scheduler.sync_now()
    [registered] = rows(hub, devices)
    assert (registered.customer_id, registered.endpoint) == (customer.id, subscription.endpoint)
    assert registered.keys and "p256dh" in registered.keys
    state = await asyncio.to_thread(runtime.personal.push.state)
    assert (state.on, state.hub_device, state.alert_id) == (True, registered.id, None)
    assert await asyncio.to_thread(runtime.personal.outbox.pending) == []


async def test_a_desktop_signed_out_reads_the_public_stream_and_resumes_it(
    hub: RealHub, tmp_path: Path
) -> None:
    runtime = DeviceRuntime.create(data_dir=tmp_path / "desktop", hub_url=hub.url)
    runtime.start()
    try:
        window = WindowState(runtime, width=1280, run_task=asyncio.ensure_future)
        await window.start()
        await until(lambda: runtime.live.connected)
        await asyncio.to_thread(
            hub.cli, "incident", "publish", "--title", "Fog at BOS", "--impact", "critical",
            "--component", "flights-bos",
        )  # fmt: skip
        await until(lambda: [n.title for n in window.notices.items] == ["Fog at BOS"], 3)
        account = runtime.personal.account
        assert await asyncio.to_thread(account.last_event_id, public=True)
        assert await asyncio.to_thread(account.last_event_id) is None, "the customer's own"
        window.close()
    finally:
        await runtime.close()
