"""The channel outbox's rows: what a customer did is enqueued in the transaction that did
it, so nothing is told to the helpdesk that did not happen and nothing that happened is
lost. The delivery loop (`delivery`) reads and settles them; the CLI lists and replays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select, update

from app.backend.db.tables import channel_outbox
from app.backend.util import format_time, now, parse_time


class Kind(StrEnum):
    ticket = "ticket"  # the case opened: its ticket
    comment = "comment"  # a customer's message: a public comment
    status = "status"  # the case's status changed (as it is when delivered)


class State(StrEnum):
    pending = "pending"
    done = "done"
    failed = "failed"  # the helpdesk refused it: an operator replays it


@dataclass(frozen=True)
class Item:
    id: int
    connector: str
    case_id: str
    kind: Kind
    message_id: str | None
    attempts: int
    next_attempt_at: datetime
    state: State
    last_error: str | None
    created_at: datetime


def _item(row: Any) -> Item:
    return Item(
        id=row.id,
        connector=row.connector,
        case_id=row.case_id,
        kind=Kind(row.kind),
        message_id=row.message_id,
        attempts=row.attempts,
        next_attempt_at=parse_time(row.next_attempt_at),
        state=State(row.state),
        last_error=row.last_error,
        created_at=parse_time(row.created_at),
    )


def enqueue(
    conn: Connection, connector: str, case_id: str, kind: Kind, message_id: str | None = None
) -> None:
    stamp = format_time(now())
    conn.execute(
        insert(channel_outbox).values(
            connector=connector,
            case_id=case_id,
            kind=kind.value,
            message_id=message_id,
            attempts=0,
            next_attempt_at=stamp,
            state=State.pending.value,
            created_at=stamp,
        )
    )


def heads(conn: Connection, connector: str, *, limit: int = 50) -> list[Item]:
    """Per case, its oldest item not yet done, when that one is pending and due: a case's
    items go out in order, and a failed one holds its case's later ones back."""
    waiting = and_(
        channel_outbox.c.connector == connector, channel_outbox.c.state != State.done.value
    )
    first = select(func.min(channel_outbox.c.id)).where(waiting).group_by(channel_outbox.c.case_id)
    rows = conn.execute(
        select(channel_outbox)
        .where(
            channel_outbox.c.id.in_(first),
            channel_outbox.c.state == State.pending.value,
            channel_outbox.c.next_attempt_at <= format_time(now()),
        )
        .order_by(channel_outbox.c.next_attempt_at, channel_outbox.c.id)
        .limit(limit)
    )
    return [_item(r) for r in rows]


def claim(conn: Connection, item: Item, lease: timedelta) -> bool:
    """Take `item` for one delivery attempt: another hub process that read the same row
    finds it moved on and leaves it. The lease is when it is due again if this process
    dies mid-delivery."""
    moved = conn.execute(
        update(channel_outbox)
        .where(
            channel_outbox.c.id == item.id,
            channel_outbox.c.state == State.pending.value,
            channel_outbox.c.next_attempt_at == format_time(item.next_attempt_at),
        )
        .values(next_attempt_at=format_time(now() + lease), attempts=item.attempts + 1)
    )
    return moved.rowcount == 1


def settle(
    conn: Connection,
    item_id: int,
    state: State,
    *,
    error: str | None = None,
    retry_at: datetime | None = None,
) -> None:
    values: dict[str, Any] = {"state": state.value, "last_error": error}
    if state is State.done:
        values["done_at"] = format_time(now())
    if retry_at is not None:
        values["next_attempt_at"] = format_time(retry_at)
    conn.execute(update(channel_outbox).where(channel_outbox.c.id == item_id).values(**values))


def replay(conn: Connection, *, item_id: int | None = None, failed: bool = False) -> int:
    """Make a failed item (or every failed one, `failed`) pending and due now; how many."""
    query = update(channel_outbox).where(channel_outbox.c.state == State.failed.value)
    if item_id is not None:
        query = query.where(channel_outbox.c.id == item_id)
    elif not failed:
        return 0
    moved = conn.execute(
        query.values(state=State.pending.value, attempts=0, next_attempt_at=format_time(now()))
    )
    return int(moved.rowcount)


def backlog(conn: Connection, *, include_done: bool = False, limit: int = 200) -> list[Item]:
    query = select(channel_outbox).order_by(channel_outbox.c.id).limit(limit)
    if not include_done:
        query = query.where(channel_outbox.c.state != State.done.value)
    return [_item(r) for r in conn.execute(query)]


def counts(conn: Connection) -> dict[str, int]:
    """Items by state (every state, zero included)."""
    query = select(channel_outbox.c.state, func.count()).group_by(channel_outbox.c.state)
    found: dict[str, int] = {state: count for state, count in conn.execute(query)}
    return {state.value: int(found.get(state.value, 0)) for state in State}


def oldest_pending(conn: Connection) -> datetime | None:
    stamp = conn.execute(
        select(func.min(channel_outbox.c.created_at)).where(
            channel_outbox.c.state == State.pending.value
        )
    ).scalar()
    return parse_time(stamp) if stamp else None
