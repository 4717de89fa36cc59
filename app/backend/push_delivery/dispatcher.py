"""Sending pushes for new events. Each batch of events is claimed by moving a cursor in
one transaction, so with several hub processes each event is pushed by one of them.
Incidents go to customers' devices and to devices registered without an account; a
customer's own updates (an agent's reply, a callback completed or missed, a reminder
before a scheduled call) only to that customer's."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import Connection, delete, select

from app.backend.crud import bookings
from app.backend.crud import events as event_log
from app.backend.db import Database
from app.backend.db.tables import alert_devices, devices, meta, subscriptions
from app.backend.failures import FailureStreak
from app.backend.push_delivery.base import Delivery, Device, Outcome, PushAdapter, PushMessage
from app.backend.util import loads, now, parse_time, upsert
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
REMINDER_TTL = 15 * 60  # a reminder that cannot arrive before the call is pointless
REMIND_EVERY = 30.0  # seconds between looks for calls to remind of (a write each time)
# What a callback's end says (the hub's words; the app says it in the customer's language).
CALLBACK_ENDS = {
    "completed": ("Callback completed", "Thanks for talking to us."),
    "missed": ("We missed you", "We called but could not reach you. Book another time."),
}


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
    if event.kind == "callback" and data.get("status") in CALLBACK_ENDS:
        title, body = CALLBACK_ENDS[str(data["status"])]
        return _callback_message(event, title, body, PRIVATE_TTL)
    if event.kind == "reminder":
        phone = _masked(str(data.get("phone", "")))
        body = f"We will call {phone} {_in_minutes(data.get('slot_start'))}."
        return _callback_message(event, "Your callback is soon", body, REMINDER_TTL)
    return None


def _in_minutes(start: Any) -> str:
    """When a call starting at `start` is, from now: "in about 12 minutes"."""
    try:
        minutes = round((parse_time(str(start)) - now()).total_seconds() / 60)
    except ValueError:
        return "soon"
    return "in about a minute" if minutes <= 1 else f"in about {minutes} minutes"


def _wants(event: Event, customer_id: str, follows: Subscriptions, moment: datetime) -> bool:
    """A public event goes to a device whose owner (`customer_id`; "" for a device without
    an account) it concerns, outside their quiet hours unless it is critical."""
    critical = event.data.get("impact") == Impact.critical.value
    return event_log.concerns(event, customer_id=customer_id, subscriptions=follows) and (
        critical or not quiet_now(follows, moment)
    )


def _callback_message(event: Event, title: str, body: str, ttl: int) -> PushMessage:
    return PushMessage(
        title=title,
        body=body,
        route=f"/callbacks/{event.entity_id}",
        kind=event.kind,
        entity_id=event.entity_id,
        version=event.version,
        ttl=ttl,
        topic=f"cb-{event.entity_id}"[:32],
    )


def _masked(phone: str) -> str:
    """A phone number as a lock screen may show it: its last digits only."""
    return f"the number ending {phone[-4:]}" if len(phone) >= 4 else "you"


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
        self._reminded = 0.0
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
                if time.monotonic() - self._reminded >= REMIND_EVERY:
                    await asyncio.to_thread(self.remind)
                    self._reminded = time.monotonic()
                while await self.push_new():
                    pass
            except Exception:  # a lost database or push service must not end pushing
                streak.failed()
            else:
                streak.succeeded()
            await asyncio.sleep(self.poll_seconds)

    def remind(self) -> int:
        """Publish the reminders due (their pushes go out with the next batch)."""
        with self.db.write() as conn:
            return bookings.remind_due(conn)

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
        query = select(devices).where(devices.c.platform.in_(list(self.adapters)))
        if event.customer_id is not None:
            query = query.where(devices.c.customer_id == event.customer_id)
        rows = conn.execute(query).all()
        if event.customer_id is None:
            follows = {
                r.customer_id: Subscriptions.model_validate(loads(r.data))
                for r in conn.execute(select(subscriptions))
            }
            moment = datetime.now().astimezone()
            rows = [
                r
                for r in rows
                if _wants(event, r.customer_id, follows.get(r.customer_id, Subscriptions()), moment)
            ]
        found = [
            Device(r.id, r.customer_id, r.platform, r.endpoint, loads(r.keys) or {}) for r in rows
        ]
        if event.customer_id is None:
            found += self._signed_out_targets(conn, event)
        return found

    def _signed_out_targets(self, conn: Connection, event: Event) -> list[Device]:
        """Devices registered without an account that the incident concerns."""
        query = select(alert_devices).where(alert_devices.c.platform.in_(list(self.adapters)))
        moment = datetime.now().astimezone()
        return [
            Device(row.id, "", row.platform, row.endpoint, loads(row.keys) or {})
            for row in conn.execute(query)
            if _wants(event, "", Subscriptions.model_validate(loads(row.follows)), moment)
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
            for table in (devices, alert_devices):
                conn.execute(delete(table).where(table.c.id == device.id))
