"""The Account screen's sign-ins, against a real hub app: the list with this device
marked, signing one device out, signing out everywhere else, and offline."""

from __future__ import annotations

from app.api.connection import USER_AGENT
from app.backend.crud import auth
from app.state.runtime import DeviceRuntime
from app.state.sessions import SessionsState
from tests.sync.support import Rig


def another_sign_in(rig: Rig, email: str = "alice@example.com") -> str:
    with rig.db.write() as conn:
        customer = auth.ensure_customer(conn, email=email)
        return auth.issue_customer_session(
            conn, customer=customer, settings=rig.hub.state.hub.settings
        ).token


def live(rig: Rig, token: str) -> bool:
    with rig.db.read() as conn:
        return auth.resolve_token(conn, token=token) is not None


async def test_the_list_marks_this_device_and_ends_the_others(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    rig.sign_in()
    phone, laptop = another_sign_in(rig), another_sign_in(rig)
    another_sign_in(rig, "bob@example.com")
    state = SessionsState(runtime)
    await state.load()
    assert state.loaded and state.error is None
    assert len(state.items) == 3
    [here] = [item for item in state.items if item.current]
    assert here.device == USER_AGENT
    assert len(state.others) == 2

    await state.end(state.others[0].id)
    assert len(state.items) == 2 and not state.busy
    assert [live(rig, t) for t in (phone, laptop)].count(True) == 1

    await state.end_others()
    assert state.ended == 1 and state.others == [] and state.items == [here]
    assert not live(rig, phone) and not live(rig, laptop)
    await state.load()
    assert [item.id for item in state.items] == [here.id]


async def test_offline_the_list_stays_and_says_why(rig: Rig, runtime: DeviceRuntime) -> None:
    rig.sign_in()
    other = another_sign_in(rig)
    state = SessionsState(runtime)
    await state.load()
    rig.transport.down = True
    await state.end_others()
    assert state.error == "offline" and len(state.others) == 1 and not state.busy
    assert live(rig, other)
    await state.load()
    assert state.error == "offline" and len(state.items) == 2
