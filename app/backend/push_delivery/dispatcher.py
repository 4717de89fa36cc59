"""Sending pushes for new events. Each batch of events is claimed by moving a cursor in
one transaction, so with several hub processes each event is pushed by one of them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import Connection, delete, select

from app.backend.crud import events as event_log
from app.backend.db import Database
from app.backend.db.tables import devices, meta, subscriptions
from app.backend.failures import FailureStreak
from app.backend.push_delivery.base import Delivery, Device, Outcome, PushAdapter, PushMessage
from app.backend.util import loads, upsert
from app.schemas import Event, Impact, Subscriptions
from app.schemas.events import quiet_now

log = logging.getLogger("careline.push")
CURSOR_KEY = "push_cursor"
BATCH = 100
ATTEMPTS = 5
LONGEST_WAIT = 30.0  # a push service asking for more is tried again with the next event
CONCURRENT_SENDS = 10  # httpx's pool slows down with many requests waiting in it
INCIDENT_TTL = 24 * 3600
PRIVATE_TTL = 7 * 24 * 3600


def message_for(event: Event) -> PushMessage | None:
    data = event.data
    if event.kind == "incident":
        updates = data.get("updates") or [{}]
        return PushMessage(
            title=str(data.get("title", ""))[:120],
            body=str(updates[0].get("body", "")).split("\n\n")[0][:240],
            route=f"/status/{event.entity_id}",
            kind="incident",
            entity_id=event.entity_id,
            version=event.version,
            ttl=INCIDENT_TTL,
            topic=f"inc-{event.entity_id}"[:32],
            urgent=data.get("impact") == Impact.critical.value,
        )
    if event.kind == "case":
        messages = data.get("messages") or []
        if not messages or messages[-1].get("author") != "agent":
            return None
        if not _just_added(messages[-1], data):
            return None  # a later change (a status) to a case whose last word is an agent's
        return PushMessage(
            title=f"#{data.get('number')} {data.get('subject', '')}"[:120],
            body=str(messages[-1].get("body", ""))[:240],
            route=f"/cases/{event.entity_id}",
            kind="case",
            entity_id=event.entity_id,
            version=event.version,
            ttl=PRIVATE_TTL,
            topic=f"case-{event.entity_id}"[:32],
        )
    return None


def _just_added(message: dict[str, Any], case: dict[str, Any]) -> bool:
    """Whether this change of the case is the one that added `message`: an agent's reply
    and the change it makes to the case carry the same time."""
    return bool(message.get("created_at") == case.get("updated_at"))


class PushDispatcher:
    def __init__(
        self,
        db: Database,
        adapters: Mapping[str, PushAdapter],
        *,
        poll_seconds: float = 1.0,
        retry_base: float = 1.0,
    ) -> None:
        self.db = db
        self.adapters = dict(adapters)
        self.poll_seconds = poll_seconds
        self.retry_base = retry_base
        self.delivered = 0
        self._sending = asyncio.Semaphore(CONCURRENT_SENDS)
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None and self.adapters:
            self._task = asyncio.create_task(self._run(), name="careline-push")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        streak = FailureStreak(
            log,
            failing="push round failed; retrying",
            recovered="push rounds work again after %d failures",
        )
        while True:
            try:
                while await self.push_new():
                    pass
            except Exception:  # a lost database or push service must not end pushing
                streak.failed()
            else:
                streak.succeeded()
            await asyncio.sleep(self.poll_seconds)

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
            return [(event, self._targets(conn, event)) for event in found]

    def _targets(self, conn: Connection, event: Event) -> list[Device]:
        query = select(devices).where(devices.c.platform.in_(list(self.adapters)))
        if event.customer_id is not None:
            query = query.where(devices.c.customer_id == event.customer_id)
        rows = conn.execute(query).all()
        if event.customer_id is None:
            follows = {
                r.customer_id: Subscriptions.model_validate(loads(r.data))
                for r in conn.execute(select(subscriptions))
            }
            critical = event.data.get("impact") == Impact.critical.value
            now = datetime.now().astimezone()
            rows = [
                r
                for r in rows
                if event_log.concerns(
                    event,
                    customer_id=r.customer_id,
                    subscriptions=follows.get(r.customer_id, Subscriptions()),
                )
                and (critical or not quiet_now(follows.get(r.customer_id, Subscriptions()), now))
            ]
        return [
            Device(r.id, r.customer_id, r.platform, r.endpoint, loads(r.keys) or {}) for r in rows
        ]

    async def push_new(self) -> int:
        """Push one claimed batch; returns how many events it held."""
        claimed = await asyncio.to_thread(self._claim)
        for event, targets in claimed:
            message = message_for(event)
            if message is None:
                continue
            await asyncio.gather(*(self._deliver(device, message) for device in targets))
        return len(claimed)

    async def _deliver(self, device: Device, message: PushMessage) -> Outcome:
        adapter = self.adapters[device.platform]
        outcome = Outcome(Delivery.failed)
        for attempt in range(ATTEMPTS):
            try:
                async with self._sending:
                    outcome = await adapter.send(device, message)
            except httpx.TransportError as error:  # a refused connection, a timeout
                outcome = Outcome(Delivery.retry, detail=error.__class__.__name__)
            except Exception as error:  # keys that cannot be used: never worth another try
                outcome = Outcome(Delivery.failed, detail=error.__class__.__name__)
            if outcome.delivery is not Delivery.retry or attempt == ATTEMPTS - 1:
                break
            delay = max(self.retry_base * 2**attempt, outcome.retry_after or 0.0)
            await asyncio.sleep(min(delay, LONGEST_WAIT))
        if outcome.delivery is Delivery.delivered:
            self.delivered += 1
        elif outcome.delivery is Delivery.expired:
            await asyncio.to_thread(self._forget, device)
        else:
            log.warning("push to %s failed: %s", device.id, outcome.detail)
        return outcome

    def _forget(self, device: Device) -> None:
        with self.db.write() as conn:
            conn.execute(delete(devices).where(devices.c.id == device.id))
