"""One LISTEN connection per hub process on PostgreSQL: what other processes commit
(`db/notify.py`) reaches this one's handlers at once.

While it is up, the handlers can trust what they hold (the event fan-out polls only as a
safety net, token checks are cached); when it drops, they are told (`down`) before any
notification can be missed unheard, and it reconnects with backoff (`up` again). A
connection that stops answering without closing (a frozen server, a dead network path)
is found by a health query when no notification came for `HEALTH_SECONDS`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from app.backend.db import Database
from app.backend.db.engine import CONNECT_TIMEOUT
from app.backend.db.notify import CHANNEL_PREFIX
from app.backend.event_bus import POLL_SECONDS, SAFETY_SECONDS

log = logging.getLogger("careline.listen")
HEALTH_SECONDS = 5.0  # a quiet connection is asked a question this often
RETRY_FIRST = 0.5  # seconds before the first reconnect, doubling per failure
RETRY_LONGEST = 10.0
APPLICATION = "careline-listen"  # pg_stat_activity.application_name, with the process id


@dataclass
class Handlers:
    """What the listener tells this process: one notification's payload, and that it is
    up (nothing missed from now on) or down (notifications may be missed)."""

    notified: Callable[[str], None]
    up: Callable[[], None]
    down: Callable[[], None]


class PgListener:
    def __init__(self, db: Database, handlers: Handlers) -> None:
        self.db = db
        self.handlers = handlers
        self.listening = False
        self._failures = 0  # reconnects failed in a row
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="careline-listen")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._set(False)

    def _connect_args(self) -> tuple[str, dict[str, Any]]:
        """The hub's own connection settings (URL, search_path options), as psycopg's."""
        engine = self.db.engine
        args, found = engine.dialect.create_connect_args(engine.url)
        params = dict(found)
        conninfo = str(args[0]) if args else ""
        params.setdefault("connect_timeout", CONNECT_TIMEOUT)
        params["application_name"] = f"{APPLICATION} {os.getpid()}"
        return conninfo, params

    async def _run(self) -> None:
        while True:
            try:
                await self._listen()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # a lost server must not end the listening for good
                if self._failures == 0:
                    log.warning(
                        "LISTEN connection lost or refused (%s); the event log is polled "
                        "every %.2f s until it is back",
                        type(error).__name__,
                        POLL_SECONDS,
                    )
                self._failures += 1
                await asyncio.sleep(min(RETRY_LONGEST, RETRY_FIRST * 2 ** (self._failures - 1)))

    async def _listen(self) -> None:
        conninfo, params = self._connect_args()
        conn = await psycopg.AsyncConnection.connect(conninfo, autocommit=True, **params)
        try:
            schema = (await (await conn.execute("SELECT current_schema()")).fetchone() or [""])[0]
            channel = f"{CHANNEL_PREFIX}{schema}"
            await conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
            self._set(True)
            self._failures = 0
            log.info(
                "LISTEN up on %s: the event log is polled every %.1f s", channel, SAFETY_SECONDS
            )
            while True:
                async for note in conn.notifies(timeout=HEALTH_SECONDS):
                    self.handlers.notified(note.payload)
                await asyncio.wait_for(conn.execute("SELECT 1"), HEALTH_SECONDS)
        finally:
            self._set(False)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.close(), 1)

    def _set(self, listening: bool) -> None:
        if listening != self.listening:
            self.listening = listening
            (self.handlers.up if listening else self.handlers.down)()
