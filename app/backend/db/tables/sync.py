"""What the hub logs as things change: the mutations clients pushed (answered once per
key), the sync feed, and the event log."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table, Text

from app.backend.db.tables.common import metadata, time_column

mutations = Table(
    "mutations",
    metadata,
    Column("customer_id", String(40), primary_key=True),
    Column("key", String(36), primary_key=True),
    Column("client_id", String(100), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("name", String(40), nullable=False),
    Column("status", String(16), nullable=False),
    Column("result", Text, nullable=False),
    time_column("created_at"),
    Index("ix_mutations_created_at", "created_at"),  # pruning reads the oldest
)

# The sync feed: one row per entity holding its latest state; `seq` moves on every change.
sync_changes = Table(
    "sync_changes",
    metadata,
    Column("entity", String(32), primary_key=True),
    Column("entity_id", String(220), primary_key=True),
    Column("seq", BigInteger, nullable=False, unique=True),
    Column("op", String(8), nullable=False),
    Column("version", Integer, nullable=False),
    Column("customer_id", String(40)),
    Column("data", Text),
    Index("ix_sync_changes_customer_seq", "customer_id", "seq"),
)

# The event log behind `/v1/events` and push: appended in the transaction of each change.
events = Table(
    "events",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(32), nullable=False),
    Column("entity_id", String(220), nullable=False),
    Column("version", Integer, nullable=False),
    Column("customer_id", String(40)),
    Column("data", Text, nullable=False),
    time_column("created_at"),
    Index("ix_events_customer_seq", "customer_id", "seq"),
    Index("ix_events_created_at", "created_at"),  # pruning reads the oldest
)
