"""Sending pushes for new events. Each batch of events is claimed by moving a cursor in
one transaction, so with several hub processes each event is pushed by one of them.
Incidents go to customers' devices and to devices registered without an account; a
customer's own updates (an agent's reply, a callback completed or missed, a reminder
before a scheduled call) only to that customer's. Claimed pushes wait in lanes per push
service host and per device (`lanes`), so a slow host delays only its own devices."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TypeVar

import httpx
from sqlalchemy import Connection, select

from app.backend.crud import callbacks
from app.backend.crud import events as event_log
from app.backend.db import Database
from app.backend.db.tables import customers, devices, meta
from app.backend.failures import FailureStreak
from app.backend.push_delivery import giving_up
from app.backend.push_delivery.base import Delivery, Device, Outcome, PushAdapter, PushMessage
from app.backend.push_delivery.lanes import Lanes, host_of
from app.backend.push_delivery.messages import message_for
from app.backend.push_delivery.recipients import push_targets
from app.backend.push_delivery.targets import refused
from app.backend.settings import PushLimits
from app.backend.util import loads, upsert
from app.background import BackgroundTask
from app.schemas import Event

log = logging.getLogger("careline.push")
CURSOR_KEY = "push_cursor"
BATCH = 100
ATTEMPTS = 5
LONGEST_WAIT = 30.0  # a push service asking for more is tried again with the next event
REMIND_EVERY = 30.0  # seconds between looks for calls to remind of (a write each time)
# Pushes claimed and not yet out beyond which no more events are claimed for a while.
MAX_PENDING = 100_000
SEND_TIMEOUTS = 3  # one send takes at most this many timeouts (connect, write, read)
STOP_GRACE = 2.0  # seconds a stopping hub gives the pushes it claimed to go out
T = TypeVar("T")


class PushDispatcher:
    def __init__(
        self,
        db: Database,
        adapters: Mapping[str, PushAdapter],
        *,
        poll_seconds: float = 1.0,
        retry_base: float = 1.0,
        limits: PushLimits | None = None,
    ) -> None:
        self.db = db
        self.adapters = dict(adapters)
        self.poll_seconds = poll_seconds
        self.retry_base = retry_base
        self.limits = limits or PushLimits()
        self.delivered = 0
        # Hosts that answered their last push send from the main slots; the others (new,
        # or silent since) share half as many, so silent hosts, under however many names,
        # never hold up the push services that answer.
        self._sending = asyncio.Semaphore(self.limits.concurrency)
        self._unproven = asyncio.Semaphore(max(1, self.limits.concurrency // 2))
        self._answering: set[str] = set()
        self._lanes = Lanes(self._deliver, per_host=self.limits.per_host)
        self._failing: set[str] = set()  # devices whose last push failed
        self._reminded = 0.0
        self._rounds = BackgroundTask(self._run, "careline-push")

    def start(self) -> None:
        if self.adapters:
            self._rounds.start()

    async def stop(self) -> None:
        await self._rounds.stop()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._lanes.idle(), STOP_GRACE)
        await self._lanes.stop()

    async def _run(self) -> None:
        streak = FailureStreak(
            log,
            failing="push round failed; retrying",
            recovered="push rounds work again after %d failures",
        )
        while True:
            try:
                if time.monotonic() - self._reminded >= REMIND_EVERY:
                    await asyncio.to_thread(self.remind)
                    self._reminded = time.monotonic()
                while self._lanes.pending < MAX_PENDING and await self.queue_new():
                    pass
            except Exception:  # a lost database or push service must not end pushing
                streak.failed()
            else:
                streak.succeeded()
            await asyncio.sleep(self.poll_seconds)

    def remind(self) -> int:
        """Publish the reminders due (their pushes go out with the next batch)."""
        with self.db.write() as conn:
            return callbacks.remind_due(conn)

    def _claim(self) -> list[tuple[Event, list[Device]]]:
        """The next events and the devices each goes to; the cursor moves past them."""
        with self.db.write() as conn:
            row = conn.execute(
                select(meta.c.value).where(meta.c.key == CURSOR_KEY).with_for_update()
            ).scalar()
            if row is None:
                # A hub pushing for the first time starts now, not with the whole history.
                start = event_log.latest_event(conn)
                upsert(conn, meta, {"key": CURSOR_KEY, "value": str(start)}, key=["key"])
                return []
            found = event_log.events_after(conn, after=int(row), limit=BATCH)
            if not found:
                return []
            upsert(conn, meta, {"key": CURSOR_KEY, "value": str(found[-1].id)}, key=["key"])
            # Events that make no push (a status change, an article) need no targets.
            return [
                (event, self._targets(conn, event) if message_for(event) else []) for event in found
            ]

    def _targets(self, conn: Connection, event: Event) -> list[Device]:
        """A public event's devices (`recipients`), or the customer's own for theirs."""
        if event.customer_id is None:
            moment = datetime.now().astimezone()
            return push_targets(conn, event, moment=moment, platforms=list(self.adapters))
        query = (
            select(devices, customers.c.locale)
            .select_from(devices.outerjoin(customers, customers.c.id == devices.c.customer_id))
            .where(devices.c.platform.in_(list(self.adapters)))
            .where(devices.c.customer_id == event.customer_id)
        )
        return [
            Device(
                r.id,
                r.customer_id,
                r.platform,
                r.endpoint,
                loads(r.keys) or {},
                r.push_failures,
                r.locale,
            )
            for r in conn.execute(query)
        ]

    async def push_new(self) -> int:
        """Push one claimed batch and wait until every push claimed so far is out (or
        given up); returns how many events the batch held."""
        count = await self.queue_new()
        await self._lanes.idle()
        return count

    async def queue_new(self) -> int:
        """Claim one batch and queue its pushes, which go out in the background; returns
        how many events it held."""
        claimed = await asyncio.to_thread(self._claim)
        for event, targets in claimed:
            # Each language's words are made once per event, whatever its devices' count.
            said: dict[str | None, PushMessage | None] = {}
            for device in targets:
                if device.locale not in said:
                    said[device.locale] = message_for(event, device.locale)
                message = said[device.locale]
                if message is None:
                    continue
                if device.failures:
                    self._failing.add(device.id)
                self._lanes.add(device, message)
        return len(claimed)

    async def _deliver(self, device: Device, message: PushMessage) -> bool:
        """Send with retries; False when the device is gone (expired or given up). A
        target the hub refuses (inside the network, not port 443) is never connected
        to and fails like any unreachable one."""
        adapter = self.adapters[device.platform]
        outcome = Outcome(Delivery.failed)
        longest = self.limits.timeout_seconds * SEND_TIMEOUTS
        host = host_of(device)
        for attempt in range(ATTEMPTS):
            slots = self._sending if host in self._answering else self._unproven
            try:
                async with slots, asyncio.timeout(longest):
                    outcome = await adapter.send(device, message)
                self._answering.add(host)
            except TimeoutError:  # an answer trickling in byte by byte
                self._answering.discard(host)
                outcome = Outcome(Delivery.retry, detail="no answer in time")
            except httpx.TransportError as error:  # a refused connection, a timeout
                self._answering.discard(host)
                again = Delivery.failed if refused(error) else Delivery.retry
                outcome = Outcome(again, detail=str(error) or error.__class__.__name__)
            except Exception as error:  # keys that cannot be used: never worth another try
                outcome = Outcome(Delivery.failed, detail=error.__class__.__name__)
            if outcome.delivery is not Delivery.retry or attempt == ATTEMPTS - 1:
                break
            delay = max(self.retry_base * 2**attempt, outcome.retry_after or 0.0)
            await asyncio.sleep(min(delay, LONGEST_WAIT))
        return await self._record(device, outcome)

    async def _record(self, device: Device, outcome: Outcome) -> bool:
        if outcome.delivery is Delivery.delivered:
            self.delivered += 1
            if device.id in self._failing:
                self._failing.discard(device.id)
                await asyncio.to_thread(self._write, giving_up.succeeded, device)
            return True
        if outcome.delivery is Delivery.expired:
            await asyncio.to_thread(self._write, giving_up.forget, device)
            return False
        log.warning("push to %s failed: %s", device.id, outcome.detail)
        self._failing.add(device.id)
        gone = await asyncio.to_thread(self._write, self._failed, device)
        if gone:
            self._failing.discard(device.id)
            log.warning("gave up pushing to %s after repeated failures", device.id)
        return not gone

    def _failed(self, conn: Connection, device: Device) -> bool:
        return giving_up.failed(conn, device, self.limits)

    def _write(self, change: Callable[[Connection, Device], T], device: Device) -> T:
        with self.db.write() as conn:
            return change(conn, device)
