"""What the hub does while its database is away, in process (quick): write requests do
not make the event tail retry at their pace, the push dispatcher carries on, the log gets
a line rather than a flood, and a server that never answers fails requests in seconds."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from app.backend.crud.events import publish_event
from app.backend.db import Database, migrate
from app.backend.db.engine import CONNECT_TIMEOUT
from app.backend.db.tables import (
    meta,
)
from app.backend.event_bus import EventBus
from app.backend.main import create_app
from app.backend.push_delivery.base import Device, Outcome, PushMessage
from app.backend.push_delivery.dispatcher import CURSOR_KEY, PushDispatcher
from app.backend.settings import HubSettings, sqlite_url
from app.schemas import Event, Subscriptions
from tests.backend.write_load_support import assert_unavailable
from tests.support import bearer


def database_down(*_args: Any, **_kwargs: Any) -> Any:
    raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))


def tracebacks(caplog: pytest.LogCaptureFixture, logger: str) -> int:
    return sum(1 for r in caplog.records if r.name == logger and r.exc_info)


async def test_the_event_tail_retries_a_lost_log_at_its_own_pace_and_carries_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Every write request wakes the tail; while the database is away those wakes must not
    each cost a connection attempt and a traceback in the log."""
    db = Database(sqlite_url(tmp_path))
    migrate(db)
    bus = EventBus(db, poll_seconds=0.05)
    await bus.start()
    reads = 0
    working = bus._read

    def failing(after: int) -> list[Event]:
        nonlocal reads
        reads += 1
        return database_down()  # type: ignore[no-any-return]

    try:
        monkeypatch.setattr(bus, "_read", failing)
        for _ in range(50):  # a second of write requests, each waking the tail
            bus.wake()
            await asyncio.sleep(0.02)
        assert 1 <= reads <= 6, f"{reads} reads of the log in 1 s of outage"
        assert tracebacks(caplog, "careline.events") == 1
        monkeypatch.setattr(bus, "_read", working)
        stream = bus.open("cus_1", Subscriptions())
        with db.write() as conn:
            publish_event(conn, kind="case", entity_id="case_1", version=1, data={},
                          customer_id="cus_1")  # fmt: skip
        bus.wake()
        event = await asyncio.wait_for(stream.queue.get(), 5)
        assert event is not None and event.entity_id == "case_1"
        assert any("works again" in r.getMessage() for r in caplog.records)
    finally:
        await bus.stop()
        db.dispose()


class NoPushService:
    """A push adapter for a hub with no devices: never asked to send."""

    platform = "webpush"

    async def send(self, device: Device, message: PushMessage) -> Outcome:
        raise AssertionError("nothing to push to")


async def test_the_push_dispatcher_survives_a_lost_database_quietly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    db = Database(sqlite_url(tmp_path))
    migrate(db)
    dispatcher = PushDispatcher(db, {"webpush": NoPushService()}, poll_seconds=0.02)
    working = dispatcher._split
    monkeypatch.setattr(dispatcher, "_split", database_down)
    dispatcher.start()
    try:
        await asyncio.sleep(0.4)  # some 20 rounds, all failing
        assert tracebacks(caplog, "careline.push") == 1
        monkeypatch.setattr(dispatcher, "_split", working)
        cursor = None
        deadline = time.monotonic() + 10
        while cursor is None and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            with db.read() as conn:
                query = select(meta.c.value).where(meta.c.key == CURSOR_KEY)
                cursor = conn.execute(query).scalar()
        assert cursor is not None, "it claims again once the database is back"
        assert any("work again" in r.getMessage() for r in caplog.records)
    finally:
        await dispatcher.stop()
        db.dispose()


async def test_requests_get_503_and_the_log_a_line_not_a_flood(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    db = Database(sqlite_url(tmp_path))
    api = create_app(HubSettings(data_dir=tmp_path, database_url=db.url), database=db)
    monkeypatch.setattr(db, "read", database_down)
    monkeypatch.setattr(db, "write", database_down)
    transport = httpx.ASGITransport(app=api)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as http:
            for path in ["/healthz", "/v1/kb/articles", "/v1/cases"] * 20:
                started = time.monotonic()
                response = await http.get(path, headers=bearer("clc_whatever"))
                assert_unavailable(response, time.monotonic() - started)
    finally:
        db.dispose()
    lines = [r for r in caplog.records if "database unavailable" in r.getMessage()]
    assert len(lines) == 1, [r.getMessage() for r in lines]


def test_a_database_that_never_answers_fails_the_request_within_seconds() -> None:
    """A server that takes the TCP connection and says nothing (frozen, or behind a network
    path that drops packets): opening a connection fails (503) instead of hanging."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)  # the kernel completes handshakes; nobody ever answers them
        db = Database(f"postgresql://postgres@127.0.0.1:{silent.getsockname()[1]}/careline")
        failures: list[BaseException] = []

        def query() -> None:
            try:
                with db.read() as conn:
                    conn.exec_driver_sql("SELECT 1")
            except BaseException as error:  # handed to the test below
                failures.append(error)

        started = time.monotonic()
        worker = threading.Thread(target=query, daemon=True)
        worker.start()
        worker.join(15)
        assert not worker.is_alive(), "still waiting for the database after 15 s"
        assert time.monotonic() - started < 2 * CONNECT_TIMEOUT
        assert len(failures) == 1 and isinstance(failures[0], OperationalError), failures
        db.dispose()
