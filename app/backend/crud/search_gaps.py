"""Searches that found nothing: the sums devices send, and the list the team reads.

A device sends its counts in batches, each under a random key of its own; the hub keeps a
hash of each key for a week, so a batch sent again after its answer was lost is counted
once. Nothing here names a customer, a device or an address."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from app.backend.db.tables import search_gap_batches, search_gaps
from app.backend.util import digest, format_time, now
from app.schemas.console import SearchGap
from app.schemas.search_gaps import gap_query

KEEP_BATCH_KEYS = timedelta(days=7)


def record_gaps(
    conn: Connection, *, locale: str, counts: Mapping[str, int], batch_key: str | None
) -> bool:
    """Add a device's counts to the sums (each query kept as `gap_query` keeps it, the
    private-looking ones dropped); False when the batch was counted already."""
    moment = now()
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    if batch_key is not None:
        conn.execute(
            delete(search_gap_batches).where(
                search_gap_batches.c.created_at < format_time(moment - KEEP_BATCH_KEYS)
            )
        )
        # RETURNING, not the row count (psycopg gives none for ON CONFLICT DO NOTHING).
        claimed = conn.execute(
            dialect.insert(search_gap_batches)
            .values(key_hash=digest(f"search-gaps:{batch_key}"), created_at=format_time(moment))
            .on_conflict_do_nothing()
            .returning(search_gap_batches.c.key_hash)
        ).first()
        if claimed is None:
            return False
    summed: dict[str, int] = {}
    for text, count in counts.items():
        query = gap_query(text)
        if query is not None and count > 0:
            summed[query] = summed.get(query, 0) + count
    stamp = format_time(moment)
    # In one order, so two hubs adding the same queries cannot wait on each other.
    for query, count in sorted(summed.items()):
        statement = dialect.insert(search_gaps).values(
            query=query, locale=locale, count=count, last_seen=stamp
        )
        conn.execute(
            statement.on_conflict_do_update(
                index_elements=["query", "locale"],
                set_={"count": search_gaps.c.count + statement.excluded.count, "last_seen": stamp},
            )
        )
    return True


def list_gaps(conn: Connection, *, locale: str | None, limit: int) -> list[SearchGap]:
    """The most counted first (then the most recently seen)."""
    query = select(search_gaps).order_by(
        search_gaps.c.count.desc(), search_gaps.c.last_seen.desc(), search_gaps.c.query
    )
    if locale:
        query = query.where(search_gaps.c.locale == locale)
    return [
        SearchGap(query=r.query, locale=r.locale, count=r.count, last_seen=r.last_seen)
        for r in conn.execute(query.limit(limit))
    ]
