"""Callback queues, staffing, availability and bookings.

Capacity is enforced by the database: a booking is a conditional increment of the slot's
counter (`booked < capacity`), which concurrent transactions cannot both pass."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.backend import slots
from app.backend.crud.changes import record_change
from app.backend.crud.rejections import Rejected
from app.backend.db.tables import callbacks, queues, slot_usage, staffing
from app.backend.problems import not_found
from app.backend.util import dumps, format_time, loads, now, parse_time, upsert
from app.schemas import AsapEstimate, Availability, Callback, CallbackQueue, Slot

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
ACTIVE = ("requested", "scheduled")


def queue_from_row(row: Row[Any]) -> CallbackQueue:
    return CallbackQueue(
        id=row.id,
        name=row.name,
        description=row.description,
        time_zone=row.time_zone,
        slot_minutes=row.slot_minutes,
        min_notice_minutes=row.min_notice_minutes,
        horizon_days=row.horizon_days,
        hours=loads(row.hours),
        position=row.position,
    )


def save_queue(conn: Connection, *, queue: CallbackQueue, handle_minutes: int) -> CallbackQueue:
    """Create or redefine a queue (its hours are validated in its own time zone)."""
    slots.zone(queue.time_zone)
    slots.validate_hours(queue.hours)
    if not 5 <= queue.slot_minutes <= 240 or handle_minutes < 1:
        raise ValueError("slot_minutes must be 5..240 and handle_minutes at least 1")
    old = conn.execute(select(queues.c.version).where(queues.c.id == queue.id)).scalar()
    version = (old or 0) + 1
    values = queue.model_dump()
    values.update(
        hours=dumps(queue.hours),
        handle_minutes=handle_minutes,
        version=version,
        updated_at=format_time(now()),
    )
    upsert(conn, queues, values, key=["id"])
    record_change(
        conn,
        entity="queue",
        entity_id=queue.id,
        version=version,
        data=queue.model_dump(mode="json"),
    )
    return queue


def set_hours(conn: Connection, *, queue_id: str, hours: dict[str, list[list[str]]]) -> None:
    row = queue_row(conn, queue_id)
    queue = queue_from_row(row).model_copy(update={"hours": hours})
    save_queue(conn, queue=queue, handle_minutes=row.handle_minutes)


def list_queues(conn: Connection) -> list[CallbackQueue]:
    rows = conn.execute(select(queues).order_by(queues.c.position, queues.c.id))
    return [queue_from_row(r) for r in rows]


def queue_row(conn: Connection, queue_id: str) -> Row[Any]:
    row = conn.execute(select(queues).where(queues.c.id == queue_id)).one_or_none()
    if row is None:
        raise not_found("callback queue")
    return row


def set_staffing(
    conn: Connection, *, queue_id: str, starts_at: datetime, ends_at: datetime, agents: int
) -> None:
    """Set the agents on duty for [starts_at, ends_at), replacing what overlapped it."""
    if ends_at <= starts_at or agents < 0:
        raise ValueError("staffing needs start < end and agents >= 0")
    queue_row(conn, queue_id)
    start, end = format_time(starts_at), format_time(ends_at)
    overlapping = conn.execute(
        select(staffing).where(
            staffing.c.queue_id == queue_id, staffing.c.starts_at < end, staffing.c.ends_at > start
        )
    ).all()
    keep = [(r.starts_at, start, r.agents) for r in overlapping if r.starts_at < start]
    keep += [(end, r.ends_at, r.agents) for r in overlapping if r.ends_at > end]
    for r in overlapping:
        conn.execute(
            delete(staffing).where(
                staffing.c.queue_id == queue_id, staffing.c.starts_at == r.starts_at
            )
        )
    rows = [*keep, (start, end, agents)] if agents else keep
    for s, e, a in rows:
        conn.execute(insert(staffing).values(queue_id=queue_id, starts_at=s, ends_at=e, agents=a))


def _staffing(
    conn: Connection, queue_id: str, start: datetime, end: datetime
) -> list[slots.StaffingInterval]:
    rows = conn.execute(
        select(staffing).where(
            staffing.c.queue_id == queue_id,
            staffing.c.starts_at < format_time(end),
            staffing.c.ends_at > format_time(start),
        )
    )
    return [
        slots.StaffingInterval(parse_time(r.starts_at), parse_time(r.ends_at), r.agents)
        for r in rows
    ]


def _windows(
    conn: Connection, row: Row[Any], start: datetime, end: datetime
) -> list[slots.SlotWindow]:
    step = timedelta(minutes=row.slot_minutes)
    return slots.slot_windows(
        hours=loads(row.hours),
        time_zone=row.time_zone,
        slot_minutes=row.slot_minutes,
        handle_minutes=row.handle_minutes,
        staffing=_staffing(conn, row.id, start, end + step),
        start=start,
        end=end,
    )


def _bookable_range(row: Row[Any], at: datetime) -> tuple[datetime, datetime]:
    return (at + timedelta(minutes=row.min_notice_minutes), at + timedelta(days=row.horizon_days))


def free_slots(
    conn: Connection,
    *,
    queue_id: str,
    start: datetime | None,
    end: datetime | None,
    limit: int,
    at: datetime | None = None,
) -> tuple[list[Slot], str | None]:
    """Slots with room left in [start, end) within notice and horizon, earliest first."""
    row = queue_row(conn, queue_id)
    earliest, latest = _bookable_range(row, at or now())
    start = max(start or earliest, earliest)
    end = min(end or latest, latest)
    if start >= end:
        return [], None
    windows = _windows(conn, row, start, end)
    used = dict(
        conn.execute(
            select(slot_usage.c.slot_start, slot_usage.c.booked).where(
                slot_usage.c.queue_id == queue_id,
                slot_usage.c.slot_start >= format_time(start),
                slot_usage.c.slot_start < format_time(end),
            )
        ).all()
    )
    found = [
        Slot(start=w.start, end=w.end, remaining=w.capacity - used.get(format_time(w.start), 0))
        for w in windows
    ]
    found = [s for s in found if s.remaining > 0]
    more = found[limit:]
    return found[:limit], (format_time(more[0].start) if more else None)


def asap_estimate(conn: Connection, *, queue_id: str, at: datetime | None = None) -> AsapEstimate:
    row = queue_row(conn, queue_id)
    moment = at or now()
    if not slots.is_open(loads(row.hours), row.time_zone, moment):
        return AsapEstimate(available=False, reason="The queue is closed now.")
    agents = slots.agents_at(_staffing(conn, queue_id, moment, moment), moment)
    if agents == 0:
        return AsapEstimate(available=False, reason="No agents are on duty now.")
    waiting = len(
        conn.execute(
            select(callbacks.c.id).where(
                callbacks.c.queue_id == queue_id,
                callbacks.c.mode == "asap",
                callbacks.c.status == "requested",
            )
        ).all()
    )
    wait = slots.asap_wait_minutes(
        waiting=waiting, agents=agents, handle_minutes=row.handle_minutes
    )
    return AsapEstimate(available=True, wait_minutes=wait)


def availability(
    conn: Connection,
    *,
    queue_id: str,
    start: datetime | None,
    end: datetime | None,
    limit: int,
    at: datetime | None = None,
) -> Availability:
    found, cursor = free_slots(conn, queue_id=queue_id, start=start, end=end, limit=limit, at=at)
    return Availability(
        queue=queue_from_row(queue_row(conn, queue_id)),
        asap=asap_estimate(conn, queue_id=queue_id, at=at),
        slots=found,
        next_cursor=cursor,
    )


def nearest_free_slots(
    conn: Connection, queue_id: str, near: datetime | None
) -> list[dict[str, Any]]:
    """The three free slots nearest to `near` (or the earliest ones). A full slot's
    alternatives are found inside the booking's transaction, which holds the write lock,
    so the search starts a day either side of `near` and widens only while it finds fewer
    than three: any slot outside the searched range is farther than those inside it."""
    if near is None:
        found, _ = free_slots(conn, queue_id=queue_id, start=None, end=None, limit=3)
        return [s.model_dump(mode="json") for s in found]
    earliest, latest = _bookable_range(queue_row(conn, queue_id), now())
    reach = timedelta(days=1)
    while True:
        start, end = near - reach, near + reach
        found, _ = free_slots(conn, queue_id=queue_id, start=start, end=end, limit=10_000)
        if len(found) >= 3 or (start <= earliest and end >= latest):
            break
        reach *= 4
    found.sort(key=lambda s: abs((s.start - near).total_seconds()))
    return [s.model_dump(mode="json") for s in sorted(found[:3], key=lambda s: s.start)]


def take_slot(conn: Connection, row: Row[Any], slot_start: datetime) -> datetime:
    """Book one seat of the slot starting at `slot_start`; returns the slot's end."""
    earliest, latest = _bookable_range(row, now())
    window = None
    if earliest <= slot_start < latest:
        windows = _windows(conn, row, slot_start, slot_start + timedelta(seconds=1))
        window = next((w for w in windows if w.start == slot_start), None)
    if window is None:
        raise Rejected(
            "slot_unavailable",
            "That time is not bookable in this queue.",
            nearest_free_slots(conn, row.id, slot_start),
        )
    key = format_time(slot_start)
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    conn.execute(
        dialect.insert(slot_usage)
        .values(queue_id=row.id, slot_start=key, booked=0)
        .on_conflict_do_nothing()
    )
    taken = conn.execute(
        update(slot_usage)
        .where(
            slot_usage.c.queue_id == row.id,
            slot_usage.c.slot_start == key,
            slot_usage.c.booked < window.capacity,
        )
        .values(booked=slot_usage.c.booked + 1)
    ).rowcount
    if taken != 1:
        raise Rejected(
            "slot_full",
            "Someone just booked the last place in that slot.",
            nearest_free_slots(conn, row.id, slot_start),
        )
    return window.end


def release_slot(conn: Connection, queue_id: str, slot_start: str | None) -> None:
    if slot_start is None:
        return
    conn.execute(
        update(slot_usage)
        .where(
            slot_usage.c.queue_id == queue_id,
            slot_usage.c.slot_start == slot_start,
            slot_usage.c.booked > 0,
        )
        .values(booked=slot_usage.c.booked - 1)
    )


def callback_from_row(row: Row[Any]) -> Callback:
    return Callback(
        id=row.id,
        queue_id=row.queue_id,
        mode=row.mode,
        status=row.status,
        phone=row.phone,
        slot_start=row.slot_start,
        slot_end=row.slot_end,
        note=row.note,
        case_id=row.case_id,
        client_ref=row.client_ref,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def publish_callback(conn: Connection, callback_id: str) -> Callback:
    row = conn.execute(select(callbacks).where(callbacks.c.id == callback_id)).one()
    callback = callback_from_row(row)
    record_change(
        conn,
        entity="callback",
        entity_id=callback_id,
        version=row.version,
        data=callback.model_dump(mode="json"),
        customer_id=row.customer_id,
    )
    return callback
