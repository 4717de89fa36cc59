"""Callbacks: the queues that call customers back, their staffing, booked slots, and the
callbacks themselves."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from app.backend.db.tables.common import (
    created_and_updated,
    customer_column,
    id_column,
    json_column,
    metadata,
    time_column,
    version_column,
)

queues = Table(
    "queues",
    metadata,
    id_column(100),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("time_zone", String(64), nullable=False),
    Column("slot_minutes", Integer, nullable=False),
    Column("handle_minutes", Integer, nullable=False),
    Column("min_notice_minutes", Integer, nullable=False),
    Column("horizon_days", Integer, nullable=False),
    json_column("hours", "{}"),
    Column("position", Integer, nullable=False, default=0),
    version_column(),
    time_column("updated_at"),
    json_column("translations", "{}"),
)

staffing = Table(
    "staffing",
    metadata,
    Column("queue_id", String(100), ForeignKey("queues.id"), primary_key=True),
    Column("starts_at", String(32), primary_key=True),
    time_column("ends_at"),
    Column("agents", Integer, nullable=False),
)

slot_usage = Table(
    "slot_usage",
    metadata,
    Column("queue_id", String(100), primary_key=True),
    Column("slot_start", String(32), primary_key=True),
    Column("booked", Integer, nullable=False, default=0),
)

callbacks = Table(
    "callbacks",
    metadata,
    id_column(),
    customer_column(),
    Column("queue_id", String(100), ForeignKey("queues.id"), nullable=False),
    Column("mode", String(8), nullable=False),
    Column("status", String(16), nullable=False),
    Column("phone", String(32), nullable=False),
    time_column("slot_start", nullable=True),
    time_column("slot_end", nullable=True),
    Column("note", Text),
    Column("case_id", String(40)),
    Column("booking_ref", String(40)),
    Column("language", String(35)),  # BCP 47 tag: the language to call in
    Column("client_ref", String(100)),
    version_column(),
    *created_and_updated(),
    # When the customer was reminded of a scheduled call (reminded once, by one hub).
    time_column("reminded_at", nullable=True),
    Index("ix_callbacks_queue_status", "queue_id", "status"),
)
