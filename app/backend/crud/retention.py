"""Retention: what the hub forgets once it is old enough. Uploads never attached to a case
go after `keep_unattached_uploads_hours`, the idempotency records of pushed mutations
after `keep_mutations_days` (a key older than that would apply again) and events after
`keep_events_days`, the latest always kept. A stream resuming from a forgotten event
gets a resync (`event_floor`), never a silent gap. The change feed's tombstones go after
`keep_tombstones_days` (`prune_old_tombstones`); a cursor from before them gets `reset`.
Public posts go `keep_social_posts_days` after the hub received them, the record of each
push sent and the finished push batches `keep_events_days` after they were made. Push devices that
`DeviceRegisterArgs` refuses (a platform without an adapter, keys or an endpoint longer
than a push service makes) go too: they could never be pushed to.

The hub prunes every `prune_every_seconds`, and `python -m app.backend prune` does it
once; several hub processes may prune at the same time: deleting is idempotent, and the
event floor only ever rises."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import astuple, dataclass
from datetime import datetime, timedelta
from typing import Any, get_args

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Table,
    case,
    cast,
    delete,
    func,
    or_,
    select,
    tuple_,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from starlette.concurrency import run_in_threadpool

from app.backend.crud import changes
from app.backend.db import Database
from app.backend.db.tables import (
    alert_devices,
    attachments,
    devices,
    events,
    meta,
    mutations,
    push_batches,
    push_sent,
    social_posts,
)
from app.backend.settings import HubSettings
from app.backend.util import dumps, format_time, now, upsert
from app.schemas.mutations import ENDPOINT_LIMITS, KEY_LIMITS, PushPlatform

log = logging.getLogger("careline.hub.retention")
# Rows per transaction: the first prune of a large table never holds its locks for long.
BATCH = 1000
# Every event numbered at or below this `meta` value may be gone.
EVENT_FLOOR = "event_floor"
# The `meta` value "<change number> <time>": the newest change when a prune last looked.
TOMBSTONE_MARK = "tombstone_mark"
# The longest `keys` `DeviceRegisterArgs` accepts, as the hub stores them (JSON).
LONGEST_KEYS = max(
    len(dumps({k: "x" * n for k, n in keys.items()})) for keys in KEY_LIMITS.values()
)


@dataclass(frozen=True)
class Pruned:
    """How many rows of each kind one prune removed."""

    uploads: int
    mutations: int
    events: int
    tombstones: int
    devices: int
    posts: int
    pushes: int


def prune(db: Database, settings: HubSettings, *, moment: datetime | None = None) -> Pruned:
    """Remove what is older than the settings keep, as of `moment` (now)."""
    moment = moment or now()

    def cutoff(age: timedelta) -> str:
        return format_time(moment - age)

    uploads = cutoff(timedelta(hours=settings.keep_unattached_uploads_hours))
    keys = cutoff(timedelta(days=settings.keep_mutations_days))
    logged = cutoff(timedelta(days=settings.keep_events_days))
    removed = cutoff(timedelta(days=settings.keep_tombstones_days))
    posts = cutoff(timedelta(days=settings.keep_social_posts_days))
    return Pruned(
        uploads=_in_batches(db, lambda conn: prune_uploads(conn, before=uploads)),
        mutations=_in_batches(db, lambda conn: prune_mutations(conn, before=keys)),
        events=_in_batches(db, lambda conn: prune_events(conn, before=logged)),
        tombstones=_once(
            db, lambda conn: prune_old_tombstones(conn, before=removed, moment=format_time(moment))
        ),
        devices=_in_batches(db, lambda conn: prune_unpushable(conn, devices))
        + _in_batches(db, lambda conn: prune_unpushable(conn, alert_devices)),
        posts=_in_batches(db, lambda conn: prune_posts(conn, before=posts)),
        pushes=_in_batches(db, lambda conn: prune_pushes(conn, before=logged)),
    )


def _in_batches(db: Database, step: Callable[[Connection], tuple[int, bool]]) -> int:
    """Run `step` (rows removed, whether more are left) in transactions until done."""
    total = 0
    more = True
    while more:
        with db.write() as conn:
            removed, more = step(conn)
        total += removed
    return total


def _once(db: Database, step: Callable[[Connection], int]) -> int:
    with db.write() as conn:
        return step(conn)


def prune_uploads(conn: Connection, *, before: str) -> tuple[int, bool]:
    """Uploads no case took, made before `before`."""
    unattached = (attachments.c.case_id.is_(None), attachments.c.created_at < before)
    ids = conn.execute(select(attachments.c.id).where(*unattached).limit(BATCH)).scalars().all()
    if ids:
        # The condition again: a case may have taken one since it was read.
        conn.execute(delete(attachments).where(attachments.c.id.in_(ids), *unattached))
    return len(ids), len(ids) == BATCH


def prune_mutations(conn: Connection, *, before: str) -> tuple[int, bool]:
    """Idempotency records made before `before`."""
    keys = (mutations.c.customer_id, mutations.c.key)
    return _prune_older(conn, mutations, keys, mutations.c.created_at, before)


def _prune_older(
    conn: Connection,
    table: Table,
    keys: tuple[ColumnElement[Any], ...],
    stamp: ColumnElement[Any],
    before: str,
) -> tuple[int, bool]:
    """A batch of `table`'s rows (by their composite `keys`) whose `stamp` is before
    `before`; whether more may be left."""
    rows = conn.execute(select(*keys).where(stamp < before).limit(BATCH)).all()
    if rows:
        conn.execute(delete(table).where(tuple_(*keys).in_([tuple(row) for row in rows])))
    return len(rows), len(rows) == BATCH


def prune_events(conn: Connection, *, before: str) -> tuple[int, bool]:
    """Events made before `before`, oldest first, keeping the latest: its id is where a
    new stream starts. The floor rises in the same transaction as the delete, so no
    reader sees an event gone above it, and a stream resuming from one resyncs."""
    latest, oldest = conn.execute(select(func.max(events.c.seq), func.min(events.c.seq))).one()
    if latest is None:
        return 0, False
    last_old = conn.execute(
        select(func.max(events.c.seq)).where(events.c.created_at < before, events.c.seq < latest)
    ).scalar()
    if last_old is None:
        return 0, False
    up_to = min(int(last_old), int(oldest) + BATCH - 1)
    raise_event_floor(conn, up_to)
    removed = conn.execute(delete(events).where(events.c.seq <= up_to)).rowcount
    return int(removed), up_to < int(last_old)


def prune_posts(conn: Connection, *, before: str) -> tuple[int, bool]:
    """Public posts the hub received before `before`."""
    keys = (social_posts.c.source, social_posts.c.id)
    return _prune_older(conn, social_posts, keys, social_posts.c.received_at, before)


def prune_pushes(conn: Connection, *, before: str) -> tuple[int, bool]:
    """Pushes recorded before `before`, then batches finished before it (an unfinished
    batch keeps its records, so a hub taking it over never sends them again)."""
    sent, more = _prune_older(
        conn, push_sent, (push_sent.c.event_seq, push_sent.c.device_id), push_sent.c.sent_at, before
    )
    if more:
        return sent, True
    done, more = _prune_older(
        conn, push_batches, (push_batches.c.id,), push_batches.c.done_at, before
    )
    return sent + done, more


def prune_unpushable(conn: Connection, table: Table) -> tuple[int, bool]:
    """Devices (a customer's, or registered without an account) that registering again
    would refuse: no adapter for their platform, or longer keys or endpoint than allowed."""
    ids = (
        conn.execute(
            select(table.c.id)
            .where(
                or_(
                    table.c.platform.not_in(get_args(PushPlatform)),
                    func.length(table.c["keys"]) > LONGEST_KEYS,
                    func.length(table.c.endpoint) > max(ENDPOINT_LIMITS.values()),
                )
            )
            .limit(BATCH)
        )
        .scalars()
        .all()
    )
    if ids:
        conn.execute(delete(table).where(table.c.id.in_(ids)))
    return len(ids), len(ids) == BATCH


def prune_old_tombstones(conn: Connection, *, before: str, moment: str) -> int:
    """Tombstones made before `before`. The change feed numbers changes but does not date
    them, so each prune marks the newest number with `moment`; once that mark is older
    than `before`, the tombstones up to it go and the mark moves on. A tombstone is kept
    for at least `keep_tombstones_days`, and at most twice that plus a prune interval.
    The mark is read locked: prunes of several processes take turns, and the floor that
    resets older cursors only rises."""
    mark = conn.execute(
        select(meta.c.value).where(meta.c.key == TOMBSTONE_MARK).with_for_update()
    ).scalar()
    removed = 0
    if mark is not None:
        up_to, _, marked_at = mark.partition(" ")
        if marked_at >= before:
            return 0
        removed = changes.prune_tombstones(conn, up_to_seq=int(up_to))
    value = f"{changes.latest_seq(conn)} {moment}"
    upsert(conn, meta, {"key": TOMBSTONE_MARK, "value": value}, key=["key"])
    return removed


def raise_event_floor(conn: Connection, up_to: int) -> None:
    """Make the floor `up_to` unless it is higher already, in one statement: a prune of
    another process that committed a higher floor meanwhile (its row lock makes this
    one wait, then compare with its value) is never undone."""
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    statement = dialect.insert(meta).values(key=EVENT_FLOOR, value=str(up_to))
    higher = case(
        (cast(meta.c.value, BigInteger) < up_to, statement.excluded.value),
        else_=meta.c.value,
    )
    conn.execute(statement.on_conflict_do_update(index_elements=["key"], set_={"value": higher}))


def event_floor(conn: Connection) -> int:
    """Events numbered at or below this may have been pruned (0: none was). A reader
    reads it after the events it replays: the floor and the delete commit together, so
    events it missed are then below the floor it sees."""
    value = conn.execute(select(meta.c.value).where(meta.c.key == EVENT_FLOOR)).scalar()
    return int(value) if value else 0


async def prune_periodically(db: Database, settings: HubSettings) -> None:
    """Prune every `prune_every_seconds` until cancelled; a failed run (the database
    away) is logged and tried again at the next turn."""
    while True:
        await asyncio.sleep(settings.prune_every_seconds)
        try:
            pruned = await run_in_threadpool(prune, db, settings)
        except DBAPIError as error:  # the database away: not worth a traceback
            log.warning("pruning failed, trying again later: %s", error.__class__.__name__)
            continue
        except Exception:
            log.exception("pruning failed, trying again later")
            continue
        if any(astuple(pruned)):
            log.info(
                "pruned %d unattached uploads, %d idempotency records, %d events, "
                "%d tombstones, %d devices that DeviceRegisterArgs refuses, %d public posts and "
                "%d push records",
                *astuple(pruned),
            )
