"""The event log: every incident change, case change (an agent's reply among them) and
callback change, appended once in the transaction that made it.

`seq` comes from a counter whose row lock orders commits (as the change feed's does), so
a reader that has seen event N has seen every event below N: a stream resumed after N
misses nothing and repeats nothing.

A case's event holds its header and only the messages that change added (`crud/cases.py`),
so the log grows with what is written, not with the length of each thread."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, insert, or_, select

from app.backend.db import next_counter, notify
from app.backend.db.tables import events
from app.backend.util import dumps, format_time, loads, now
from app.schemas import Event, Subscriptions
from app.schemas.alerting import alerted

PUBLIC = None  # incidents concern everyone who follows what they touch


def publish_event(
    conn: Connection,
    *,
    kind: str,
    entity_id: str,
    version: int,
    data: dict[str, Any],
    customer_id: str | None = PUBLIC,
) -> int:
    """Append an event inside the caller's transaction; returns its sequence id."""
    seq = next_counter(conn, "event_seq")
    conn.execute(
        insert(events).values(
            seq=seq,
            kind=kind,
            entity_id=entity_id,
            version=version,
            customer_id=customer_id,
            data=dumps(data),
            created_at=format_time(now()),
        )
    )
    notify.events_published(conn, seq)
    return seq


def latest_event(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(events.c.seq), 0))).scalar_one())


def events_after(
    conn: Connection, *, after: int, limit: int, customer_id: str | None = None
) -> list[Event]:
    """Events after `after`, oldest first: with `customer_id`, the public ones and that
    customer's own; without, all of them (for the fan-out)."""
    query = select(events).where(events.c.seq > after)
    if customer_id is not None:
        query = query.where(
            or_(events.c.customer_id.is_(None), events.c.customer_id == customer_id)
        )
    rows = conn.execute(query.order_by(events.c.seq).limit(limit)).all()
    return [
        Event(
            id=row.seq,
            kind=row.kind,
            entity_id=row.entity_id,
            version=row.version,
            customer_id=row.customer_id,
            data=loads(row.data),
            created_at=row.created_at,
        )
        for row in rows
    ]


def concerns(event: Event, *, customer_id: str, subscriptions: Subscriptions) -> bool:
    """Whether a customer's stream carries an event: their own cases and callbacks, every
    critical incident, and the incidents touching what they follow (all of them when they
    follow nothing yet)."""
    if event.customer_id is not None:
        return event.customer_id == customer_id
    if event.kind != "incident":
        return False
    return alerted(
        subscriptions,
        impact=event.data.get("impact"),
        components=event.data.get("components") or [],
        keys=event.data.get("keys") or [],
    )
