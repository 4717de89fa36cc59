"""Helpers for the state tests: a case and callbacks as the hub holds them, a case synced
to the app, a callback form ready to book, a real PNG, and the sign-in code the hub sent."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

from app.backend.crud import auth, callbacks, cases
from app.backend.crud.sign_in import pending_codes
from app.schemas import Callback, Case
from app.state.callbacks import CallbacksState
from app.state.cases import CasesState
from app.state.runtime import DeviceRuntime
from tests.sync.support import Rig


def hub_case(rig: Rig, case_id: str) -> Case:
    with rig.db.read() as conn:
        return cases.get_case(conn, case_id=case_id)


async def synced_case(rig: Rig, runtime: DeviceRuntime) -> tuple[CasesState, str, str]:
    """A signed-in customer with one case the hub has; returns state, local and hub id."""
    customer_id = rig.sign_in()
    state = CasesState(runtime)
    local_id = await state.submit(subject="Lost bag", description="Blue suitcase", category=None)
    assert local_id is not None
    await runtime.engine.sync()
    await state.load()
    [case] = state.cases
    assert case.server_id is not None and case.category == "general"
    return state, local_id, customer_id


PHONE = "(312) 555-0100"


async def booking_form(rig: Rig, runtime: DeviceRuntime, zone: str = "UTC") -> CallbacksState:
    """A signed-in customer whose device has synced the queues, on a fresh form."""
    rig.sign_in()
    await runtime.engine.sync()
    state = CallbacksState(runtime, zone=ZoneInfo(zone))
    await state.start_booking("help")
    return state


def hub_callbacks(rig: Rig, email: str = "alice@example.com") -> list[Callback]:
    with rig.db.write() as conn:
        customer = auth.ensure_customer(conn, email=email)
        return callbacks.list_callbacks(conn, customer_id=customer.id)


def attempt_code(rig: Rig, attempt: str) -> str:
    with rig.db.read() as conn:
        (code,) = [c["code"] for c in pending_codes(conn, attempt=attempt)]
    return code


async def until(check: Callable[[], object], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)
