"""Fan-out of the event log to the event streams one hub process holds.

One task per process tails the `events` table, woken by a publish in this process, by
another process's publish through PostgreSQL's LISTEN/NOTIFY (`listener.py`, while its
connection is up), and at least every `poll_seconds` (which is how events other
processes published arrive on SQLite, or while LISTEN is down; with LISTEN up the poll is
only a safety net every `safety_seconds`), and hands each new event to the streams it
concerns. Each stream has a bounded queue: a stream that falls
that far behind is ended (its client resumes with Last-Event-ID), so a slow or stuck
client never delays the others.

A customer, and an address, holds a few streams at once: opening one more ends the oldest
(`replaced`), so nobody can pile up streams, and a customer reopening the app is never
shut out by their own stale ones."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.backend.crud import events as event_log
from app.backend.db import Database
from app.backend.failures import FailureStreak
from app.schemas import Event, Subscriptions

log = logging.getLogger("careline.events")
QUEUE_SIZE = 256
BATCH = 1000
RETRY_FIRST = 0.25  # seconds after the first failed read of the log, doubling per failure
RETRY_LONGEST = 2.0  # up to this: a stream hears of events this soon after an outage
POLL_SECONDS = 0.25  # the poll without LISTEN: SQLite, or while its connection is down
SAFETY_SECONDS = 5.0  # the poll while LISTEN is up, in case a notification went astray


@dataclass(eq=False)
class Stream:
    """One customer's open event stream."""

    customer_id: str
    subscriptions: Subscriptions
    address: str | None = None  # counted per address (None: not limited per address)
    # None wakes the reader to look at `replaced`.
    queue: asyncio.Queue[Event | None] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    overflowed: bool = False
    replaced: bool = False

    def offer(self, event: Event) -> None:
        if self.overflowed:
            return
        if not event_log.concerns(
            event, customer_id=self.customer_id, subscriptions=self.subscriptions
        ):
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.overflowed = True

    def replace(self) -> None:
        """End this stream for a newer one: its reader wakes at once and says so."""
        self.replaced = True
        with contextlib.suppress(asyncio.QueueFull):  # a full queue wakes it anyway
            self.queue.put_nowait(None)


class EventBus:
    def __init__(
        self,
        db: Database,
        *,
        poll_seconds: float = POLL_SECONDS,
        safety_seconds: float = SAFETY_SECONDS,
    ) -> None:
        self.db = db
        self.poll_seconds = poll_seconds
        self.safety_seconds = safety_seconds
        self.listening = False  # LISTEN is up: other processes' publishes wake this one
        self.streams: dict[Stream, None] = {}  # in the order they opened
        self.last_seen = 0
        self._wake = asyncio.Event()
        self._stopping = False
        self._reading = asyncio.Lock()
        self._starting = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        async with self._starting:  # two first streams at once start one tail
            if self._task is None:
                self._stopping = False
                self.last_seen = await run_in_threadpool(self._latest)
                self._task = asyncio.create_task(self._tail(), name="careline-event-bus")

    async def stop(self) -> None:
        """Stop after the read under way, if any: a read cut short in its thread would
        hand its database connection back after the pool is gone."""
        if self._task is not None:
            self._stopping = True
            self._wake.set()
            await self._task
            self._task = None

    def wake(self) -> None:
        """Something was published: look now rather than at the next poll."""
        self._wake.set()

    def set_listening(self, listening: bool) -> None:
        """LISTEN came up or went down: look now (something may have been published
        unheard) and poll at the pace that goes with it from then on."""
        self.listening = listening
        self._wake.set()

    @property
    def interval(self) -> float:
        """Seconds between two looks at the log when nothing wakes the fan-out."""
        return max(self.poll_seconds, self.safety_seconds) if self.listening else self.poll_seconds

    def open(
        self,
        customer_id: str,
        subscriptions: Subscriptions,
        *,
        address: str | None = None,
        per_customer: int = 0,
        per_address: int = 0,
    ) -> Stream:
        """A new stream. A customer (or address) already holding `per_customer`
        (`per_address`) streams has its oldest ones replaced to make room; 0: no limit."""
        if customer_id and per_customer > 0:
            self._make_room([s for s in self.streams if s.customer_id == customer_id], per_customer)
        if address is not None and per_address > 0:
            self._make_room([s for s in self.streams if s.address == address], per_address)
        stream = Stream(customer_id, subscriptions, address)
        self.streams[stream] = None
        return stream

    def _make_room(self, held: list[Stream], limit: int) -> None:
        for oldest in held[: max(0, len(held) - limit + 1)]:
            self.close(oldest)
            oldest.replace()

    def close(self, stream: Stream) -> None:
        self.streams.pop(stream, None)

    def _latest(self) -> int:
        with self.db.read() as conn:
            return event_log.latest_event(conn)

    def _read(self, after: int) -> list[Event]:
        with self.db.read() as conn:
            return event_log.events_after(conn, after=after, limit=BATCH)

    async def _idle(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()

    async def _tail(self) -> None:
        streak = FailureStreak(
            log,
            failing="reading the event log failed; retrying",
            recovered="reading the event log works again after %d failures",
        )
        while True:
            await self._idle(self.interval)
            if self._stopping:
                return
            try:
                await self.deliver_new()
            except Exception:  # a lost database must not end the fan-out for good
                failures = streak.failed()
                await self._back_off(min(RETRY_LONGEST, RETRY_FIRST * 2 ** (failures - 1)))
                continue
            streak.succeeded()

    async def _back_off(self, seconds: float) -> None:
        """Wait after a failed read. Wakes do not cut this short: every write request
        wakes the tail, and during an outage that retried the database at the pace of
        incoming requests, each with a traceback in the log. A stop does."""
        until = asyncio.get_running_loop().time() + seconds
        while not self._stopping and (left := until - asyncio.get_running_loop().time()) > 0:
            await self._idle(left)

    async def deliver_new(self) -> int:
        """Hand every event after the last one seen to the streams; returns how many."""
        delivered = 0
        async with self._reading:  # one reader at a time, so each event goes out once
            while True:
                found = await run_in_threadpool(self._read, self.last_seen)
                for event in found:
                    for stream in list(self.streams):
                        stream.offer(event)
                    self.last_seen = event.id
                delivered += len(found)
                if len(found) < BATCH:
                    return delivered


class WakeOnWrite:
    """ASGI middleware: a request that may have written (anything but GET, HEAD and
    OPTIONS) calls `on_write` as its answer starts, before the client can ask again: the
    fan-out wakes so its events go out at once, and cached documents look afresh."""

    def __init__(self, app: ASGIApp, on_write: Callable[[], None]) -> None:
        self.app = app
        self.on_write = on_write

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        answered = False

        async def send_after_write(message: Message) -> None:
            nonlocal answered
            if message["type"] == "http.response.start":
                answered = True
                self.on_write()
            await send(message)

        try:
            await self.app(scope, receive, send_after_write)
        finally:
            if not answered:
                self.on_write()
