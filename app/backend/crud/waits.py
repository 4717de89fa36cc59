"""What the honest ASAP wait reads from the database (the model is app/backend/waits.py):
the booked calls still to come by slot, and the no-answer rate of recent calls."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, func, select

from app.backend import waits
from app.backend.db.tables import callbacks
from app.backend.util import format_time, parse_time
from app.schemas import CallbackStatus


def booked_calls(
    conn: Connection, queue_id: str, start: datetime, end: datetime
) -> dict[datetime, int]:
    """Scheduled (not yet finished) slot calls by slot start, for slots ending after
    `start` and starting before `end`: each will hold an agent in its slot."""
    rows = conn.execute(
        select(callbacks.c.slot_start, func.count())
        .where(
            callbacks.c.queue_id == queue_id,
            callbacks.c.status == CallbackStatus.scheduled.value,
            callbacks.c.slot_end > format_time(start),
            callbacks.c.slot_start < format_time(end),
        )
        .group_by(callbacks.c.slot_start)
    )
    return {parse_time(slot_start): int(n) for slot_start, n in rows if slot_start}


def no_answer_rate(conn: Connection, queue_id: str, at: datetime) -> float:
    """Missed calls among those finished (completed or missed) in the last week."""
    rows = conn.execute(
        select(callbacks.c.status, func.count())
        .where(
            callbacks.c.queue_id == queue_id,
            callbacks.c.status.in_((CallbackStatus.missed.value, CallbackStatus.completed.value)),
            callbacks.c.updated_at >= format_time(at - waits.NO_ANSWER_WINDOW),
            callbacks.c.updated_at <= format_time(at),
        )
        .group_by(callbacks.c.status)
    )
    counts = {status: int(n) for status, n in rows}
    return waits.no_answer_rate(
        counts.get(CallbackStatus.missed.value, 0), counts.get(CallbackStatus.completed.value, 0)
    )
