"""Callback queues: their opening hours and staffing.

What a queue has room for, and taking a seat in a slot, is in `availability`; the
callbacks customers book in it are in `callbacks`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select

from app.backend import slots
from app.backend.crud.changes import record_change
from app.backend.crud.rows import one_or_404, translations_json
from app.backend.db.tables import queues, staffing
from app.backend.util import dumps, format_time, loads, now, parse_time, upsert
from app.schemas import CallbackQueue


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
        translations=loads(row.translations) or {},
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
        translations=translations_json(queue.translations),
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
    return one_or_404(conn, select(queues).where(queues.c.id == queue_id), what="callback queue")


def staffing_between(
    conn: Connection, queue_id: str, start: datetime, end: datetime
) -> list[slots.StaffingInterval]:
    """The queue's staffing intervals touching [start, end)."""
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
