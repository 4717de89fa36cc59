"""Helpers for the state tests: a case and callbacks as the hub holds them, a case synced
to the app, a callback form ready to book, a real PNG, and the sign-in code the hub sent."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.backend.crud import auth, callbacks, cases, queues
from app.backend.crud.sign_in import pending_codes
from app.backend.db import Database
from app.backend.settings import sqlite_url
from app.schemas import Callback, CallbackMode, Case
from app.state.callbacks import CallbacksState
from app.state.cases import CasesState
from app.state.runtime import DeviceRuntime
from tests.hub_process import RealHub
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


def fill_slot(rig: Rig, start: datetime) -> None:
    """Leave one agent (three seats) on `start` and let three other customers take them."""
    with rig.db.write() as conn:
        queues.set_staffing(
            conn, queue_id="help", starts_at=start, ends_at=start + timedelta(minutes=30), agents=1
        )
        for n in range(3):
            other = auth.ensure_customer(conn, email=f"other{n}@example.com")
            callbacks.request_callback(
                conn,
                customer_id=other.id,
                queue_id="help",
                mode=CallbackMode.slot,
                phone="+13125550199",
                slot_start=start,
            )


KEYS = {"p256dh": "BPk" + "A" * 84, "auth": "c2VjcmV0c2VjcmV0MTY"}


def rows(hub: RealHub, table: Any) -> list[Any]:
    db = hub_db(hub)
    try:
        with db.read() as conn:
            return list(conn.execute(select(table)).all())
    finally:
        db.dispose()


def hub_db(hub: RealHub) -> Database:
    return Database(sqlite_url(hub.data_dir))
