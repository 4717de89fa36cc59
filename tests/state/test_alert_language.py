"""A device with alerts and no account hears in the language the customer chose last: a
change of language reaches its registration at the hub with the next sync (against a
real hub process)."""

from __future__ import annotations

import asyncio

import pytest

from app.backend.db.tables import alert_devices
from app.schemas import Subscriptions
from app.state.alerts import AlertsState
from app.state.hosting import Hosting
from app.state.push import BrowserSubscription, turn_on
from app.state.window import WindowState
from tests.hub_process import RealHub
from tests.state.support import KEYS, rows

pytestmark = pytest.mark.server


async def test_a_new_language_reaches_the_alerts_of_a_signed_out_device(
    hub: RealHub, hosting: Hosting
) -> None:
    device, _ = await hosting.devices.attach(None)
    runtime = device.runtime
    window = WindowState(runtime, width=390, run_task=asyncio.ensure_future)
    await window.start()
    await window.set_locale("en")
    subscription = BrowserSubscription(endpoint="https://push.example.com/lang", keys=KEYS)
    await turn_on(runtime, subscription, browser_address="203.0.113.9")
    assert [r.locale for r in rows(hub, alert_devices)] == ["en"]

    await window.set_locale("es")
    await runtime.scheduler.sync_now()
    [registered] = rows(hub, alert_devices)
    assert registered.locale == "es", "its pushes come in the language chosen last"

    # Following something more keeps the language; both go in one request.
    alerts = AlertsState(runtime)
    await alerts.load()
    assert await alerts.add_key("ord")
    await window.set_locale("fr")
    await runtime.scheduler.sync_now()
    [registered] = rows(hub, alert_devices)
    assert registered.locale == "fr"
    assert Subscriptions.model_validate_json(registered.follows).keys == ["ORD"]
    state = await asyncio.to_thread(runtime.personal.push.state)
    assert state.locale == "fr"
    window.close()
