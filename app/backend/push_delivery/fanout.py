"""The batches one hub process holds (`batches`), and the record of each push it sent.

A push is recorded once its push service answered: the answers are written in groups
(every GATHER seconds, sooner when many wait), and a batch is finished in the transaction
that records its last push. A hub sends from a batch only while its lease has at least
the longest send (three timeouts) and `SLACK` left, so every send ends, and its record is
on the way, before another hub may take the batch over; a hub that cannot renew a lease
(its database gone) stops sending from that batch.

The one push that may go out twice: the push service accepted it and the hub died (or
lost its database until the lease ran out) before the record was written. That window is
the service's answer plus GATHER and one commit; it cannot be closed, as a push service takes
no idempotency key, and a record written before the send would lose the push instead
when the hub dies before sending. It is bounded: no send starts while `concurrency`
answers wait to be written (`writable`), so at most the pushes in flight plus that many
answers, however long the database is away; each push carries its `Topic`, so a push
service still holding the first copy replaces it, and the app shows one notification per
event (the notification's tag)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from app.backend.db import Database
from app.backend.push_delivery import batches
from app.backend.push_delivery.base import Device, PushMessage
from app.backend.settings import PushLimits

log = logging.getLogger("careline.push")
SLACK = 2.0  # seconds a lease keeps beyond the longest send, for its record to be written
# Seconds answers gather before they are written together: each write is a transaction
# (a commit to disk), so writing one per answer would slow the sending itself.
GATHER = 0.05
T = TypeVar("T")


@dataclass
class Held:
    """A batch this hub holds: the devices not yet recorded and when its lease ends
    (monotonic, counted from before the claim or renewal was asked)."""

    id: int
    event_seq: int
    pending: set[str]
    until: float
    lost: bool = False
    answered: dict[str, str] = field(default_factory=dict)  # device id: outcome, unwritten


class Fanout:
    def __init__(self, db: Database, limits: PushLimits, *, longest_send: float) -> None:
        self.db = db
        # Which process holds a batch, as an operator reads it: host, pid, and a random
        # part (a pid is reused after a restart).
        self.me = f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"
        self.longest_send = longest_send
        # A lease long enough that a send started under it ends under it.
        self.lease = max(limits.lease_seconds, 1.5 * (longest_send + SLACK))
        self.size = limits.batch_size
        self.most_unwritten = max(1, limits.concurrency)
        self.unwritten = 0  # answers not yet recorded
        self._due = asyncio.Event()
        self.held: dict[int, Held] = {}
        self.finished = asyncio.Event()  # set when a batch is done: claim the next
        self._lost: list[Held] = []  # dropped batches whose last answers may yet come
        self._writing = asyncio.Lock()
        self._renewed = 0.0

    def may_send(self, batch: Held) -> bool:
        """Whether a send started now ends before the lease does; a batch past that is
        dropped (no more renewals), for any hub to claim once its lease has run out."""
        if batch.lost:
            return False
        if time.monotonic() + self.longest_send + SLACK < batch.until:
            return True
        self._drop(batch)
        log.warning("push batch %d: lease not renewed in time; left to any hub", batch.id)
        return False

    def _drop(self, batch: Held) -> None:
        batch.lost = True
        if self.held.pop(batch.id, None) is not None:
            self._lost.append(batch)

    def answered(self, batch: Held, device: Device, outcome: str) -> None:
        batch.answered[device.id] = outcome
        self.unwritten += 1
        if self.unwritten * 2 >= self.most_unwritten or not batch.pending - batch.answered.keys():
            self._due.set()

    async def gathered(self) -> None:
        """Wait for the next group of answers to write: GATHER seconds, or less when
        half as many as may wait have come, or a batch has all its answers."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._due.wait(), GATHER)
        self._due.clear()

    async def writable(self) -> None:
        """Wait while too many answers wait to be recorded (the database away)."""
        waiting = self.unwritten >= self.most_unwritten
        while waiting:
            await asyncio.sleep(0.05)
            waiting = self.unwritten >= self.most_unwritten

    async def claim(self, limit: int) -> list[tuple[Held, list[tuple[Device, PushMessage]]]]:
        started = time.monotonic()
        found = await self._write(batches.claim, me=self.me, lease=self.lease, limit=limit)
        claimed = []
        for batch in found:
            held = Held(batch.id, batch.event_seq, {d.id for d, _ in batch.pushes}, 0.0)
            held.until = started + self.lease
            self.held[batch.id] = held
            claimed.append((held, batch.pushes))
        return claimed

    async def renew(self) -> None:
        """Every quarter lease: the held batches' leases extended; one lost is dropped."""
        if time.monotonic() - self._renewed < self.lease / 4 or not self.held:
            return
        started = time.monotonic()
        ids = list(self.held)
        kept = await self._write(batches.renew, me=self.me, ids=ids, lease=self.lease)
        self._renewed = started
        for batch_id in ids:
            batch = self.held.get(batch_id)
            if batch is None:
                continue
            if batch_id in kept:
                batch.until = started + self.lease
            else:
                self._drop(batch)

    async def write_answers(self) -> bool:
        """Record the answers received so far in one transaction, finishing the batches
        that have all theirs; True when there were any."""
        async with self._writing:
            return await self._write_answers()

    async def _write_answers(self) -> bool:
        moment = time.monotonic()
        # A dropped batch's sends all ended by its lease's end (`may_send`).
        self._lost = [b for b in self._lost if b.answered or b.until > moment]
        taken: list[tuple[Held, dict[str, str]]] = []
        for batch in [*self.held.values(), *self._lost]:
            if batch.answered:
                taken.append((batch, batch.answered))
                batch.answered = {}
        if not taken:
            return False
        rows = [
            batches.Sent(batch.id, batch.event_seq, device_id, outcome, self.me)
            for batch, answers in taken
            for device_id, outcome in answers.items()
        ]
        done = [b.id for b, answers in taken if not (b.pending - answers.keys()) and not b.lost]
        try:
            await asyncio.to_thread(self._in_transaction, rows, done)
        except BaseException:  # a lost database, or a hub stopping: kept for the next try
            for batch, answers in taken:
                batch.answered = {**answers, **batch.answered}
            raise
        for batch, answers in taken:
            batch.pending -= answers.keys()
            self.unwritten -= len(answers)
        for batch_id in done:
            self.held.pop(batch_id, None)
        if done:
            self.finished.set()
        return True

    async def release(self) -> None:
        """Give every held batch back (a hub stopping), for any hub to claim at once."""
        ids = list(self.held)
        self.held.clear()
        await self._write(batches.release, me=self.me, ids=ids)

    def _in_transaction(self, rows: list[batches.Sent], done: list[int]) -> None:
        with self.db.write() as conn:
            batches.record(conn, rows)
            batches.finish(conn, done)

    async def _write(self, change: Callable[..., T], **args: object) -> T:
        def run() -> T:
            with self.db.write() as conn:
                return change(conn, **args)

        return await asyncio.to_thread(run)
