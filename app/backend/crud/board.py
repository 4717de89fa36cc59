"""The callback board the operators watch: per queue, a day's slots against what is
booked, the ASAP requests waiting now with the wait each customer is shown, and the day's
callbacks by status; and a queue's staffing as it is set."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Connection, func, select

from app.backend import slots
from app.backend.crud.availability import asap_estimates, queue_slots
from app.backend.crud.queues import list_queues, queue_row
from app.backend.db.tables import callbacks, customers, slot_usage, staffing
from app.backend.util import format_time, now, parse_time
from app.schemas import CallbackQueue, CallbackStatus
from app.schemas.console import (
    CallbackBoard,
    QueueBoard,
    SlotLoad,
    StaffingInterval,
    WaitingCallback,
)


def day_span(day: date, time_zone: str) -> tuple[datetime, datetime]:
    """The UTC span of local `day` in `time_zone` (23 or 25 hours when the clocks change)."""
    tz = slots.zone(time_zone)
    return slots.local_to_utc(day, "00:00", tz), slots.local_to_utc(
        day + timedelta(days=1), "00:00", tz
    )


def callback_board(
    conn: Connection, *, day: date, time_zone: str, at: datetime | None = None
) -> CallbackBoard:
    start, end = day_span(day, time_zone)
    moment = at or now()
    return CallbackBoard(
        day=day,
        time_zone=time_zone,
        queues=[_queue_board(conn, q, start, end, moment) for q in list_queues(conn)],
    )


def _queue_board(
    conn: Connection, queue: CallbackQueue, start: datetime, end: datetime, moment: datetime
) -> QueueBoard:
    return QueueBoard(
        queue_id=queue.id,
        name=queue.name,
        time_zone=queue.time_zone,
        slots=_slot_loads(conn, queue, start, end),
        waiting=_waiting(conn, queue.id, moment),
        outcomes=_outcomes(conn, queue.id, start, end),
    )


def _slot_loads(
    conn: Connection, queue: CallbackQueue, start: datetime, end: datetime
) -> list[SlotLoad]:
    """The staffed slots starting in [start, end), and any slot still booked that has no
    agent on duty any more (capacity 0: someone has to call those customers)."""
    used = {
        slot_start: booked
        for slot_start, booked in conn.execute(
            select(slot_usage.c.slot_start, slot_usage.c.booked).where(
                slot_usage.c.queue_id == queue.id,
                slot_usage.c.slot_start >= format_time(start),
                slot_usage.c.slot_start < format_time(end),
            )
        )
    }
    loads = [
        SlotLoad(
            starts_at=w.start,
            ends_at=w.end,
            capacity=w.capacity,
            booked=used.pop(format_time(w.start), 0),
        )
        for w in queue_slots(conn, queue_id=queue.id, start=start, end=end)
    ]
    step = timedelta(minutes=queue.slot_minutes)
    loads += [
        SlotLoad(starts_at=parse_time(s), ends_at=parse_time(s) + step, capacity=0, booked=b)
        for s, b in used.items()
        if b > 0
    ]
    return sorted(loads, key=lambda s: s.starts_at)


def _waiting(conn: Connection, queue_id: str, moment: datetime) -> list[WaitingCallback]:
    """ASAP requests waiting now, oldest first; each with the wait a customer with as many
    calls ahead is shown (`asap_estimates`, the customers' own arithmetic)."""
    rows = conn.execute(
        select(callbacks.c.id, callbacks.c.phone, callbacks.c.created_at, customers.c.email)
        .join(customers, customers.c.id == callbacks.c.customer_id, isouter=True)
        .where(
            callbacks.c.queue_id == queue_id,
            callbacks.c.mode == "asap",
            callbacks.c.status == CallbackStatus.requested.value,
        )
        .order_by(callbacks.c.created_at, callbacks.c.id)
    ).all()
    estimates = asap_estimates(conn, queue_id=queue_id, ahead=range(len(rows)), at=moment)
    return [
        WaitingCallback(
            id=r.id,
            customer_email=r.email or "",
            phone=r.phone,
            requested_at=r.created_at,
            estimate_minutes=e.wait_minutes if e.available else None,
        )
        for r, e in zip(rows, estimates, strict=True)
    ]


def _outcomes(
    conn: Connection, queue_id: str, start: datetime, end: datetime
) -> dict[CallbackStatus, int]:
    """The day's callbacks by status: those whose slot starts in it, and the ASAP ones
    requested in it."""
    when = func.coalesce(callbacks.c.slot_start, callbacks.c.created_at)
    rows = conn.execute(
        select(callbacks.c.status, func.count())
        .where(
            callbacks.c.queue_id == queue_id,
            when >= format_time(start),
            when < format_time(end),
        )
        .group_by(callbacks.c.status)
    )
    found = dict.fromkeys(CallbackStatus, 0)
    for status, count in rows:
        found[CallbackStatus(status)] = int(count)
    return found


def staffing_on(
    conn: Connection, *, queue_id: str, start: datetime, end: datetime
) -> list[StaffingInterval]:
    """The staffing intervals touching [start, end), as they were set (not cut to it)."""
    queue_row(conn, queue_id)
    rows = conn.execute(
        select(staffing)
        .where(
            staffing.c.queue_id == queue_id,
            staffing.c.starts_at < format_time(end),
            staffing.c.ends_at > format_time(start),
        )
        .order_by(staffing.c.starts_at)
    )
    return [
        StaffingInterval(starts_at=r.starts_at, ends_at=r.ends_at, agents=r.agents) for r in rows
    ]
