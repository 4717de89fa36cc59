"""Sending pushes for new events. New events are taken by moving a cursor in one
transaction, which splits each event's pushes into batches (`batches`) in the same
transaction; any hub process claims batches and sends them, so several hubs share one
event's fan-out, and each push is recorded as it is answered (`fanout`): a hub that dies
leaves its batches to the others once their leases run out, and they send only the
pushes not recorded. Incidents go to customers' devices and to devices registered
without an account; a customer's own updates (an agent's reply, a callback completed or
missed, a reminder before a scheduled call) only to that customer's. Claimed pushes wait
in lanes per push service host and per device (`lanes`), so a slow host delays only its
own devices, and a host answering 429 or 5xx is paused alone (`backoff`)."""

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
from app.backend.db.tables import meta
from app.backend.failures import FailureStreak
from app.backend.push_delivery import batches, giving_up
from app.backend.push_delivery.backoff import HostBackoff
from app.backend.push_delivery.base import Delivery, Device, Outcome, PushAdapter, PushMessage
from app.backend.push_delivery.fanout import Fanout, Held
from app.backend.push_delivery.lanes import Lanes, host_of
from app.backend.push_delivery.messages import message_for, pushes_for
from app.backend.push_delivery.recipients import own_devices, push_targets
from app.backend.push_delivery.targets import refused
from app.backend.settings import PushLimits
from app.backend.util import upsert
from app.background import BackgroundTask
from app.schemas import Event

log = logging.getLogger("careline.push")
CURSOR_KEY = "push_cursor"
EVENTS_AT_ONCE = 100  # events split into batches in one transaction
ATTEMPTS = 5
REMIND_EVERY = 30.0  # seconds between looks for calls to remind of (a write each time)
SEND_TIMEOUTS = 3  # one send takes at most this many timeouts (connect, write, read)
STOP_GRACE = 2.0  # seconds a stopping hub gives the pushes it claimed to go out
T = TypeVar("T")
Job = tuple[Held, PushMessage]


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
        self.limits = limits or PushLimits()
        self.delivered = 0
        # Hosts that answered their last push send from the main slots; the others (new,
        # or silent since) share half as many, so silent hosts, under however many names,
        # never hold up the push services that answer.
        self._sending = asyncio.Semaphore(self.limits.concurrency)
        self._unproven = asyncio.Semaphore(max(1, self.limits.concurrency // 2))
        self._answering: set[str] = set()
        self._lanes = Lanes[Job](self._deliver, per_host=self.limits.per_host)
        self._backoff = HostBackoff(base=retry_base)
        self._longest = self.limits.timeout_seconds * SEND_TIMEOUTS
        self.fanout = Fanout(db, self.limits, longest_send=self._longest)
        # Batches held at once: enough to keep every send slot busy, few enough that
        # the other hubs get their share of an event.
        self._most_held = max(2, -(-self.limits.concurrency // max(1, self.limits.batch_size)))
        self._failing: set[str] = set()  # devices whose last push failed
        self._gone: set[str] = set()  # devices forgotten: their other pushes are not sent
        self._reminded = 0.0
        self._rounds = BackgroundTask(self._run, "careline-push")
        self._answers = BackgroundTask(self._write_answers, "careline-push-records")

    def start(self) -> None:
        if self.adapters:
            self._rounds.start()
            self._answers.start()

    async def stop(self) -> None:
        """Stop claiming; give the pushes under way a moment, record their answers and
        hand the batches back, so another hub takes them at once."""
        await self._rounds.stop()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._lanes.idle(), STOP_GRACE)
        await self._lanes.stop()
        await self._answers.stop()
        with contextlib.suppress(Exception):  # a database gone: the leases run out instead
            await self.fanout.write_answers()
            await self.fanout.release()

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
                while await self.split_new():
                    pass
                await self.fanout.renew()
                await self.take()
            except Exception:  # a lost database or push service must not end pushing
                streak.failed()
            else:
                streak.succeeded()
            # A batch finished wakes the loop to claim the next at once.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.fanout.finished.wait(), self.poll_seconds)
            self.fanout.finished.clear()

    async def _write_answers(self) -> None:
        """Group commits of the pushes answered (`Fanout.gathered`)."""
        streak = FailureStreak(
            log,
            failing="recording pushes failed; retrying",
            recovered="pushes are recorded again after %d failures",
        )
        while True:
            await self.fanout.gathered()
            try:
                await self.fanout.write_answers()
            except Exception:  # a lost database: the answers wait in memory
                streak.failed()
                await asyncio.sleep(0.2)
            else:
                streak.succeeded()

    def remind(self) -> int:
        """Publish the reminders due (their pushes go out with the next batch)."""
        with self.db.write() as conn:
            return callbacks.remind_due(conn)

    def _split(self) -> int:
        """Split the next events' pushes into batches; the cursor moves past them in the
        same transaction, so each event is split once whatever the hubs."""
        with self.db.write() as conn:
            row = conn.execute(
                select(meta.c.value).where(meta.c.key == CURSOR_KEY).with_for_update()
            ).scalar()
            if row is None:
                # A hub pushing for the first time starts now, not with the whole history.
                start = event_log.latest_event(conn)
                upsert(conn, meta, {"key": CURSOR_KEY, "value": str(start)}, key=["key"])
                return 0
            found = event_log.events_after(conn, after=int(row), limit=EVENTS_AT_ONCE)
            if not found:
                return 0
            upsert(conn, meta, {"key": CURSOR_KEY, "value": str(found[-1].id)}, key=["key"])
            for event in found:
                # Events that make no push (a status change, an article) need no targets.
                if message_for(event):
                    pushes = pushes_for(event, self._targets(conn, event))
                    batches.split(conn, event.id, pushes, size=self.limits.batch_size)
            return len(found)

    def _targets(self, conn: Connection, event: Event) -> list[Device]:
        """A public event's devices, or the customer's own for theirs (`recipients`)."""
        platforms = list(self.adapters)
        if event.customer_id is None:
            moment = datetime.now().astimezone()
            return push_targets(conn, event, moment=moment, platforms=platforms)
        return own_devices(conn, event.customer_id, platforms=platforms)

    async def push_new(self) -> int:
        """Split the next events, then send every batch free now and wait until each
        push is out (or given up) and recorded; returns how many events were split."""
        count = await self.split_new()
        await self.take()
        while self.fanout.held:
            # A batch finished makes room for the next while the others are sent.
            await self.fanout.gathered()
            await self.fanout.write_answers()
            await self.fanout.renew()
            await self.take()
        await self._lanes.idle()
        await self.fanout.write_answers()
        return count

    async def queue_new(self) -> int:
        """Split the next events and claim what this hub may hold, to go out in the
        background; returns how many events were split."""
        count = await self.split_new()
        await self.take()
        return count

    async def split_new(self) -> int:
        """Split the next events' pushes into batches; returns how many events."""
        return await asyncio.to_thread(self._split)

    async def take(self) -> int:
        """Claim free batches up to the most this hub holds and queue their pushes,
        which go out in the background; returns how many batches."""
        room = self._most_held - len(self.fanout.held)
        if room <= 0:
            return 0
        claimed = await self.fanout.claim(room)
        for batch, pushes in claimed:
            for device, message in pushes:
                if device.failures:
                    self._failing.add(device.id)
                self._lanes.add(device, (batch, message))
        return len(claimed)

    async def _deliver(self, device: Device, job: Job) -> None:
        """Send with retries while the batch's lease allows, and record how it went."""
        batch, message = job
        if device.id in self._gone:
            self.fanout.answered(batch, device, "gone")
            return
        outcome = await self._send(device, message, batch)
        if outcome is None:
            return  # the lease ran short: the batch's next claimer sends it
        self.fanout.answered(batch, device, outcome.delivery.value)
        if not await self._record(device, outcome):
            self._gone.add(device.id)

    async def _send(self, device: Device, message: PushMessage, batch: Held) -> Outcome | None:
        """The push service's last answer, after up to ATTEMPTS tries, each once the
        host's pause (`backoff`) ended; None when the lease would end before the send. A
        target the hub refuses (inside the network, not port 443) is never connected to
        and fails like any unreachable one."""
        adapter = self.adapters[device.platform]
        outcome = Outcome(Delivery.failed)
        host = host_of(device)
        for _ in range(ATTEMPTS):
            await self._backoff.ready(host)
            if self._answers.running:  # else push_new records between batches
                await self.fanout.writable()
            slots = self._sending if host in self._answering else self._unproven
            try:
                async with slots:
                    # Checked once a slot is free: the send then ends within the lease.
                    if not self.fanout.may_send(batch):
                        return None
                    async with asyncio.timeout(self._longest):
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
            if outcome.delivery is not Delivery.retry:
                self._backoff.answered(host)
                break
            self._backoff.slow(host, outcome.retry_after)
        return outcome

    async def _record(self, device: Device, outcome: Outcome) -> bool:
        """The device's failure count kept; False when it is gone (expired, given up)."""
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
