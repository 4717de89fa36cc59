"""The database side of sharing an event's pushes among hub processes (`push_batches`,
`push_sent`). An event's devices are split into batches; a hub claims batches that are
free (never claimed, or their lease has run out) with `FOR UPDATE SKIP LOCKED` on
PostgreSQL, so hubs claiming at once take different batches without waiting for each
other (SQLite has one writer at a time, so its claim is the same UPDATE in turn); each
(event, device) push is recorded once the push service answered, and a batch taken over
sends only to the devices without a record."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import timedelta

from sqlalchemy import Connection, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.backend.db.tables import push_batches, push_sent
from app.backend.push_delivery.base import Device, PushMessage
from app.backend.util import dumps, format_time, loads, now

# The key of the push for devices with no language of their own.
DEFAULT = ""


@dataclass(frozen=True)
class Claimed:
    """A batch a hub now holds: the pushes it has still to send."""

    id: int
    event_seq: int
    pushes: list[tuple[Device, PushMessage]]


@dataclass(frozen=True)
class Sent:
    batch_id: int
    event_seq: int
    device_id: str
    outcome: str
    sent_by: str


def split(
    conn: Connection,
    event_seq: int,
    pushes: Sequence[tuple[Device, PushMessage]],
    *,
    size: int,
) -> int:
    """Store an event's pushes as batches of `size`; returns how many batches."""
    moment = format_time(now())
    rows = []
    for start in range(0, len(pushes), max(1, size)):
        part = pushes[start : start + max(1, size)]
        messages = {(d.locale or DEFAULT): asdict(m) for d, m in part}
        rows.append(
            {
                "event_seq": event_seq,
                "devices": dumps([asdict(d) for d, _ in part]),
                "messages": dumps(messages),
                "size": len(part),
                "created_at": moment,
            }
        )
    if rows:
        conn.execute(push_batches.insert(), rows)
    return len(rows)


def claim(conn: Connection, *, me: str, lease: float, limit: int) -> list[Claimed]:
    """Up to `limit` free batches, now held by `me` for `lease` seconds, each with the
    pushes not yet recorded (a batch whose every push is recorded is finished here)."""
    moment = now()
    expired = push_batches.c.lease_until < format_time(moment)
    free = or_(push_batches.c.claimed_by.is_(None), expired)
    ids = list(
        conn.execute(
            select(push_batches.c.id)
            .where(push_batches.c.done_at.is_(None), free)
            .order_by(push_batches.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).scalars()
    )
    if not ids:
        return []
    until = format_time(moment + timedelta(seconds=lease))
    conn.execute(
        update(push_batches)
        .where(push_batches.c.id.in_(ids))
        .values(claimed_by=me, lease_until=until)
    )
    recorded: dict[int, set[str]] = {}
    for row in conn.execute(
        select(push_sent.c.batch_id, push_sent.c.device_id).where(push_sent.c.batch_id.in_(ids))
    ):
        recorded.setdefault(row.batch_id, set()).add(row.device_id)
    found: list[Claimed] = []
    finished: list[int] = []
    for row in conn.execute(select(push_batches).where(push_batches.c.id.in_(ids))):
        said = {locale: PushMessage(**fields) for locale, fields in loads(row.messages).items()}
        done = recorded.get(row.id, set())
        pushes = [
            (device, said[device.locale or DEFAULT])
            for device in (Device(**fields) for fields in loads(row.devices))
            if device.id not in done
        ]
        if pushes:
            found.append(Claimed(row.id, row.event_seq, pushes))
        else:
            finished.append(row.id)
    finish(conn, finished)
    return sorted(found, key=lambda c: c.id)


def renew(conn: Connection, *, me: str, ids: Iterable[int], lease: float) -> set[int]:
    """Extend `me`'s lease on these batches; returns those still held (a batch whose
    lease ran out and that another hub claimed is not)."""
    wanted = list(ids)
    if not wanted:
        return set()
    until = format_time(now() + timedelta(seconds=lease))
    mine = (push_batches.c.id.in_(wanted), push_batches.c.claimed_by == me)
    conn.execute(update(push_batches).where(*mine).values(lease_until=until))
    return set(conn.execute(select(push_batches.c.id).where(*mine)).scalars())


def record(conn: Connection, sent: Iterable[Sent]) -> None:
    """Each push as answered; one recorded already (by a hub that lost its lease while
    its record was on the way) stays as it was."""
    moment = format_time(now())
    rows = [{**asdict(s), "sent_at": moment} for s in sent]
    if not rows:
        return
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    conn.execute(dialect.insert(push_sent).values(rows).on_conflict_do_nothing())


def finish(conn: Connection, ids: Iterable[int]) -> None:
    """Mark batches done, forgetting their devices' addresses and keys and what the
    pushes said (a customer's own updates among them): only a batch to send needs them."""
    done = list(ids)
    if done:
        conn.execute(
            update(push_batches)
            .where(push_batches.c.id.in_(done))
            .values(
                done_at=format_time(now()),
                claimed_by=None,
                lease_until=None,
                devices="[]",
                messages="{}",
            )
        )


def release(conn: Connection, *, me: str, ids: Iterable[int]) -> None:
    """Give batches back at once (a hub stopping), for any hub to claim."""
    held = list(ids)
    if held:
        conn.execute(
            update(push_batches)
            .where(push_batches.c.id.in_(held), push_batches.c.claimed_by == me)
            .values(claimed_by=None, lease_until=None)
        )


def outcomes(conn: Connection, event_seq: int) -> Mapping[str, str]:
    """Device id -> how its push of this event went (tests and the operator)."""
    query = select(push_sent.c.device_id, push_sent.c.outcome).where(
        push_sent.c.event_seq == event_seq
    )
    return {row.device_id: row.outcome for row in conn.execute(query)}
