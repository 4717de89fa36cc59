"""The company's team: members of staff with a role, and the audit trail of what every
operator token (a member of staff's sign-in, or the CLI's) changed."""

from __future__ import annotations

from sqlalchemy import Column, Index, String, Table

from app.backend.db.tables.common import id_column, json_column, metadata, time_column

staff = Table(
    "staff",
    metadata,
    id_column(),
    # Normalised (`auth.normalize_email`): sign-in finds a member by it.
    Column("email", String(254), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("role", String(32), nullable=False),
    # A disabled member gets no sign-in code, and none of their tokens work.
    time_column("disabled_at", nullable=True),
    time_column("created_at"),
)

audit_log = Table(
    "audit_log",
    metadata,
    id_column(),
    time_column("at"),
    Column("staff_id", String(40)),
    # The member of staff's email, or the operator token's label ("cli" without one).
    Column("actor", String(254), nullable=False),
    Column("action", String(64), nullable=False),
    Column("subject", String(200)),
    json_column("detail", "{}"),
    Index("ix_audit_log_at", "at"),
)
