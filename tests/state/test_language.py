"""The app's language reaches the hub: at sign-in, and when the customer switches while
signed in (queued, so it arrives after a time offline, once); the hub's refusals are
worded by the app in that language."""

from __future__ import annotations

import pytest

from app.api import Offline
from app.backend.crud import auth
from app.schemas import CallbackMode
from app.schemas.wording import CompanyWord
from app.state.account import AccountState
from app.state.runtime import DeviceRuntime
from app.state.window import WindowState
from app.views.widgets import company_tr, rejection_reason
from tests.state.support import PHONE, attempt_code, booking_form, fill_slot
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


async def test_a_refused_callback_says_why_in_spanish(rig: Rig, runtime: DeviceRuntime) -> None:
    state = await booking_form(rig, runtime)
    wanted = state.slots()[4].start
    state.choose_mode(CallbackMode.slot)
    state.choose_slot(wanted)
    refused_id = await state.book(PHONE)
    assert refused_id is not None
    fill_slot(rig, wanted)
    await runtime.engine.sync()
    await state.load()
    refused = state.callback(refused_id)
    assert refused is not None and refused.error is not None
    assert rejection_reason("es", refused.error) == (
        "Alguien acaba de reservar la última plaza a esa hora; elige otra."
    )
    assert rejection_reason("en", refused.error).startswith("Someone just booked")


async def test_the_company_words_its_labels_after_a_sync(rig: Rig, runtime: DeviceRuntime) -> None:
    window = WindowState(runtime, width=390, run_task=lambda *_: None)
    try:
        await window.start()
        assert window.ui.wording == {}, "nothing synced yet"
        await runtime.engine.sync()
        await window.start()
        window.ui.locale = "es"
        assert company_tr(window.ui, CompanyWord.alerts_keys) == "Aeropuertos, vuelos y reservas"
    finally:
        window.close()
