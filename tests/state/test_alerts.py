"""Alerts state: services and free keys followed locally at once, queued for the hub, and
what the hub holds after a sync."""

from __future__ import annotations

import pytest

from app.api import Offline
from app.backend.crud import subscriptions
from app.schemas import Subscriptions
from app.state.alerts import MAX_KEYS, AlertsState, Saved, normalized_key
from app.state.runtime import DeviceRuntime
from tests.sync.support import Rig


def hub_subscriptions(rig: Rig, customer_id: str) -> Subscriptions:
    with rig.db.read() as conn:
        return subscriptions.get_subscriptions(conn, customer_id=customer_id)


def queued(runtime: DeviceRuntime) -> list[Subscriptions]:
    entries = runtime.personal.outbox.pending()
    assert {e.name.value for e in entries} <= {"subscriptions.set"}
    return [Subscriptions.model_validate(e.args) for e in entries]


def test_keys_are_normalized() -> None:
    assert normalized_key(" nw 123 ") == "NW123"
    assert normalized_key("ord") == "ORD"
    assert normalized_key("abc-123") == "ABC-123"
    for bad in ("", "a", "-ORD", "ORD!", "x" * 21):
        assert normalized_key(bad) is None


async def test_follow_and_unfollow_then_the_hub_has_it(rig: Rig, runtime: DeviceRuntime) -> None:
    customer_id = rig.sign_in()
    state = AlertsState(runtime)
    await state.load()
    assert (state.subscriptions, state.sync_state) == (Subscriptions(), "synced")

    await state.toggle_component("flights-ord")
    assert state.subscriptions.components == ["flights-ord"] and state.sync_state == "pending"
    assert runtime.personal.account.subscriptions().components == ["flights-ord"]
    assert runtime.personal.account.subscriptions_state() == "pending"
    [first] = queued(runtime)
    assert first.components == ["flights-ord"] and first.keys == []

    assert await state.add_key(" nw 123 ") and await state.add_key("ord")
    assert (state.subscriptions.keys, state.error) == (["NW123", "ORD"], None)
    assert await state.add_key("ORD"), "following a key twice is fine"
    assert len(queued(runtime)) == 3, "and writes nothing"
    assert not await state.add_key("O!")
    assert (state.error, state.subscriptions.keys) == ("invalid_key", ["NW123", "ORD"])
    assert len(queued(runtime)) == 3

    await state.remove_key("NW123")
    await state.toggle_component("baggage")
    await state.toggle_component("flights-ord")
    latest = queued(runtime)[-1]
    assert (latest.components, latest.keys) == (["baggage"], ["ORD"])
    assert runtime.personal.account.subscriptions() == latest

    await runtime.engine.sync()
    held = hub_subscriptions(rig, customer_id)
    assert (held.components, held.keys) == (["baggage"], ["ORD"])
    assert runtime.personal.outbox.counts() == {"pending": 0, "rejected": 0}
    await state.load()
    assert state.sync_state == "synced" and state.subscriptions.keys == ["ORD"]


async def test_offline_change_waits_for_the_hub(rig: Rig, runtime: DeviceRuntime) -> None:
    customer_id = rig.sign_in()
    state = AlertsState(runtime)
    await state.load()
    rig.transport.down = True
    assert await state.add_key("den")
    with pytest.raises(Offline):
        await runtime.engine.sync()
    await state.load()
    assert state.sync_state == "pending" and state.subscriptions.keys == ["DEN"]
    assert hub_subscriptions(rig, customer_id) == Subscriptions()
    rig.transport.down = False
    await runtime.engine.sync()
    assert hub_subscriptions(rig, customer_id).keys == ["DEN"]
    await state.load()
    assert state.sync_state == "synced"


async def test_at_most_fifty_keys(rig: Rig, runtime: DeviceRuntime) -> None:
    rig.sign_in()
    state = AlertsState(runtime)
    await state.load()
    for n in range(MAX_KEYS):
        assert await state.add_key(f"K{n}")
    assert not await state.add_key("ONE-MORE")
    assert state.error == "too_many_keys" and len(state.subscriptions.keys) == MAX_KEYS
    assert "ONE-MORE" not in runtime.personal.account.subscriptions().keys


async def test_following_a_followed_key_at_the_limit_is_fine(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    rig.sign_in()
    state = AlertsState(runtime)
    await state.load()
    for n in range(MAX_KEYS):
        assert await state.add_key(f"K{n}")
    assert await state.add_key("k0")
    assert state.error is None


async def test_the_first_run_offer_follows_the_disruptions_services_once(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    rig.sign_in()
    state = AlertsState(runtime)
    await state.load()
    assert not state.prompted
    await state.follow(["flights-ord", "baggage"])
    assert state.subscriptions.components == ["flights-ord", "baggage"]
    assert state.prompted and AlertsState(runtime).prompted, "asked once, remembered"


async def test_quiet_hours_carry_the_customers_zone(rig: Rig, runtime: DeviceRuntime) -> None:
    rig.sign_in()
    state = AlertsState(runtime)
    await state.load()
    await state.set_quiet_hours(("22:00", "07:00"), "America/Chicago")
    saved = runtime.personal.account.subscriptions()
    assert (saved.quiet_hours, saved.time_zone) == (("22:00", "07:00"), "America/Chicago")
    await runtime.engine.sync()
    await state.set_quiet_hours(None, "America/Chicago")
    saved = runtime.personal.account.subscriptions()
    assert (saved.quiet_hours, saved.time_zone) == (None, None)


async def test_each_change_is_confirmed(rig: Rig, runtime: DeviceRuntime) -> None:
    state = AlertsState(runtime)
    await state.load()
    assert state.saved is None
    await state.toggle_component("flights-ord")
    assert state.saved == Saved("services", "flights-ord")
    await state.toggle_component("flights-ord")
    assert state.saved == Saved("services", "flights-ord", following=False)
    assert await state.add_key("nw 123")
    assert state.saved == Saved("keys", "NW123")
    await state.remove_key("NW123")
    assert state.saved == Saved("keys", "NW123", following=False)
    await state.set_quiet_hours(("22:00", "07:00"), "America/Chicago")
    assert state.saved == Saved("quiet")
    assert not await state.add_key("??")
    assert state.saved == Saved("quiet"), "nothing saved, nothing confirmed"
