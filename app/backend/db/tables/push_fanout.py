"""An event's pushes shared among hub processes: its devices split into batches that any
hub claims for a lease it renews, and one row per (event, device) delivery, so a crash
never loses a push and a batch taken over never sends one twice."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table, Text

from app.backend.db.tables.common import metadata, time_column

# Part of one event's devices (`devices`: JSON list, as they were when the event was
# split, with the language each is told in; `messages`: the push in each language).
# `claimed_by` holds it until `lease_until`; `done_at` once every device in it has a
# `push_sent` row.
push_batches = Table(
    "push_batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_seq", BigInteger, nullable=False),
    Column("devices", Text, nullable=False),
    Column("messages", Text, nullable=False),
    Column("size", Integer, nullable=False),
    Column("claimed_by", String(64)),
    time_column("lease_until", nullable=True),
    time_column("created_at"),
    time_column("done_at", nullable=True),
    Index("ix_push_batches_done_at", "done_at"),
)

# One event pushed to one device, written once the push service answered (`outcome`:
# delivered, expired, failed, gone), and the hub process that sent it.
push_sent = Table(
    "push_sent",
    metadata,
    Column("event_seq", BigInteger, primary_key=True, autoincrement=False),
    Column("device_id", String(40), primary_key=True),
    Column("batch_id", Integer, nullable=False, index=True),
    Column("outcome", String(16), nullable=False),
    Column("sent_by", String(64), nullable=False),
    time_column("sent_at"),
)
