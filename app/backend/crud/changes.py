"""The change feed behind `/v1/sync/pull` and `/v1/kb/changes`.

Each synced entity has one row holding its latest state; every change moves the row to a
new server sequence number taken from a counter whose row lock orders commits, so a reader
that has seen `seq` N has seen every change numbered below N."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, delete, or_, select

from app.backend.crud.events import publish_event
from app.backend.db import next_counter, notify
from app.backend.db.tables import counters, meta, sync_changes
from app.backend.problems import ProblemError
from app.backend.util import dumps, loads, upsert
from app.schemas import Change, ChangeFeed

KB_ENTITIES = frozenset({"article", "category"})
# Changes a customer hears about live (`/v1/events`, push), besides finding them in the feed.
EVENT_ENTITIES = frozenset({"incident", "case", "callback"})


def record_change(
    conn: Connection,
    *,
    entity: str,
    entity_id: str,
    version: int,
    data: dict[str, Any] | None,
    customer_id: str | None = None,
    event_data: dict[str, Any] | None = None,
) -> int:
    """Record the latest state of an entity (`data=None` records a tombstone); an
    incident, case or callback is also appended to the event log, as `event_data` when
    given (only what changed: a case's header and the messages this change added)."""
    seq = next_counter(conn, "change_seq")
    if entity in EVENT_ENTITIES and data is not None:
        publish_event(
            conn,
            kind=entity,
            entity_id=entity_id,
            version=version,
            data=data if event_data is None else event_data,
            customer_id=customer_id,
        )
    upsert(
        conn,
        sync_changes,
        {
            "entity": entity,
            "entity_id": entity_id,
            "seq": seq,
            "op": "delete" if data is None else "upsert",
            "version": version,
            "customer_id": customer_id,
            "data": dumps(data) if data is not None else None,
        },
        key=["entity", "entity_id"],
    )
    notify.changes_recorded(conn)
    return seq


def parse_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    if not (cursor.isascii() and cursor.isdigit()) or len(cursor) > 18:
        raise ProblemError(
            400, "Invalid cursor", "Pass back a cursor the hub gave you.", slug="invalid-cursor"
        )
    return int(cursor)


def latest_seq(conn: Connection) -> int:
    found = conn.execute(select(counters.c.value).where(counters.c.name == "change_seq"))
    return int(found.scalar_one())


def tombstone_floor(conn: Connection) -> int:
    found = conn.execute(select(meta.c.value).where(meta.c.key == "tombstone_floor")).scalar()
    return int(found) if found is not None else 0


def read_feed(
    conn: Connection,
    *,
    cursor: str | None,
    limit: int,
    customer_id: str | None,
    entities: Collection[str] | None = None,
    own_only: bool = False,
) -> ChangeFeed:
    """Changes after `cursor` that this reader may see: public ones, plus its own (only
    its own with `own_only`)."""
    after = parse_cursor(cursor)
    # Read the committed high-water mark first: every change at or below it is visible.
    high = latest_seq(conn)
    reset = after > high or (after > 0 and after < tombstone_floor(conn))
    if reset:
        after = 0
    query = select(sync_changes).where(sync_changes.c.seq > after, sync_changes.c.seq <= high)
    if customer_id is None:
        query = query.where(sync_changes.c.customer_id.is_(None))
    elif own_only:
        query = query.where(sync_changes.c.customer_id == customer_id)
    else:
        query = query.where(
            or_(sync_changes.c.customer_id.is_(None), sync_changes.c.customer_id == customer_id)
        )
    if entities is not None:
        query = query.where(sync_changes.c.entity.in_(sorted(entities)))
    rows = conn.execute(query.order_by(sync_changes.c.seq).limit(limit + 1)).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    changes = [
        Change(entity=r.entity, op=r.op, id=r.entity_id, version=r.version, data=loads(r.data))
        for r in rows
    ]
    next_cursor = rows[-1].seq if has_more else high
    return ChangeFeed(cursor=str(next_cursor), has_more=has_more, reset=reset, changes=changes)


def prune_tombstones(conn: Connection, *, up_to_seq: int) -> int:
    """Forget tombstones numbered up to `up_to_seq`; older cursors then get `reset`."""
    removed = conn.execute(
        delete(sync_changes).where(sync_changes.c.op == "delete", sync_changes.c.seq <= up_to_seq)
    ).rowcount
    upsert(conn, meta, {"key": "tombstone_floor", "value": str(up_to_seq)}, key=["key"])
    return int(removed)
