"""Support cases, their messages, and the files customers upload to them."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from app.backend.db.tables.common import (
    created_and_updated,
    customer_column,
    id_column,
    metadata,
    time_column,
    version_column,
)

cases = Table(
    "cases",
    metadata,
    id_column(),
    Column("number", BigInteger, nullable=False, unique=True),
    customer_column(),
    Column("subject", String(300), nullable=False),
    Column("description", Text, nullable=False),
    Column("category", String(100), nullable=False),
    Column("status", String(16), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("incident_id", String(40)),
    Column("booking_ref", String(40)),
    Column("client_ref", String(100)),
    # The member of staff the case is assigned to (the team's own business: it never
    # reaches the customer's wire `Case`); None: nobody.
    Column("assignee", String(40)),
    version_column(),
    *created_and_updated(),
    UniqueConstraint("customer_id", "client_ref"),
    # The inbox reads cases by latest activity.
    Index("ix_cases_activity", "updated_at", "id"),
)

case_messages = Table(
    "case_messages",
    metadata,
    id_column(),
    Column("case_id", String(40), ForeignKey("cases.id"), nullable=False, index=True),
    Column("author", String(16), nullable=False),
    Column("author_name", String(200)),
    Column("body", Text, nullable=False),
    Column("client_ref", String(100)),
    Column("channel", String(16), nullable=False, server_default="app"),
    time_column("created_at"),
)

attachments = Table(
    "attachments",
    metadata,
    id_column(),
    customer_column(),
    Column("filename", String(255), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("case_id", String(40), index=True),
    Column("message_id", String(40)),
    # The client's key for an upload, so a retried upload returns the first one.
    Column("client_ref", String(100)),
    time_column("created_at"),
    Index("ux_attachments_client_ref", "customer_id", "client_ref", unique=True),
    # Pruning finds old uploads no case took without reading the attached ones.
    Index("ix_attachments_unattached", "case_id", "created_at"),
)
