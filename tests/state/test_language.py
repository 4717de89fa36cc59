"""The app's language reaches the hub: at sign-in, and when the customer switches while
signed in (queued, so it arrives after a time offline, once)."""

from __future__ import annotations

import pytest

from app.api import Offline
from app.backend.crud import auth
from app.state.account import AccountState
from app.state.runtime import DeviceRuntime
from app.state.window import WindowState
from tests.state.support import attempt_code
from tests.sync.support import Rig


def hub_locale(rig: Rig, email: str) -> str | None:
    with rig.db.read() as conn:
        return auth.known_locale(conn, email=email)


async def test_a_spanish_customer_signs_in_in_spanish(rig: Rig, runtime: DeviceRuntime) -> None:
    account = AccountState(runtime, "es")
    await account.send_code("ana@example.com")
    await account.verify(attempt_code(rig, account.attempt))
    assert account.customer is not None and account.customer.locale == "es"
    assert hub_locale(rig, "ana@example.com") == "es"


async def test_a_new_language_reaches_the_hub_after_a_time_offline(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    rig.sign_in("ana@example.com")
    window = WindowState(runtime, width=390, run_task=lambda *_: None)
    try:
        rig.transport.down = True
        await window.set_locale("fr")
        await window.set_locale("es")
        assert window.account.locale == "es"
        with pytest.raises(Offline):
            await runtime.engine.sync()
        assert hub_locale(rig, "ana@example.com") == "en", "offline: nothing sent yet"
        assert runtime.personal.outbox.counts()["pending"] == 2
        rig.transport.down = False
        await runtime.engine.sync()
        assert hub_locale(rig, "ana@example.com") == "es"
        assert runtime.personal.outbox.counts()["pending"] == 0
        customer = runtime.personal.account.customer()
        assert customer is not None and customer.locale == "es"
    finally:
        window.close()


async def test_a_signed_out_device_keeps_its_language_to_itself(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    window = WindowState(runtime, width=390, run_task=lambda *_: None)
    try:
        await window.set_locale("es")
        assert runtime.personal.outbox.counts()["pending"] == 0
        assert runtime.personal.account.preference("locale") == "es"
    finally:
        window.close()
