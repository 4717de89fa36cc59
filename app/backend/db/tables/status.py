"""The status page: components and the incidents (outages, maintenance) that touch them."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text

from app.backend.db.tables.common import (
    created_and_updated,
    id_column,
    json_column,
    metadata,
    time_column,
    version_column,
)

components = Table(
    "components",
    metadata,
    id_column(100),
    Column("name", String(200), nullable=False),
    Column("group_name", String(200)),
    Column("description", Text, nullable=False, default=""),
    Column("status", String(32), nullable=False),
    Column("position", Integer, nullable=False, default=0),
    version_column(),
    time_column("updated_at"),
    json_column("translations", "{}"),
)

incidents = Table(
    "incidents",
    metadata,
    id_column(),
    Column("kind", String(16), nullable=False),
    Column("title", String(300), nullable=False),
    Column("status", String(32), nullable=False),
    Column("impact", String(16), nullable=False),
    json_column("components", "[]"),
    json_column("keys", "[]"),
    json_column("articles", "[]"),
    json_column("actions", "[]"),
    time_column("started_at"),
    time_column("resolved_at", nullable=True),
    time_column("scheduled_for", nullable=True),
    time_column("scheduled_until", nullable=True),
    *created_and_updated(),
    version_column(),
    json_column("translations", "{}"),
)

incident_updates = Table(
    "incident_updates",
    metadata,
    id_column(),
    Column("incident_id", String(40), ForeignKey("incidents.id"), nullable=False, index=True),
    Column("status", String(32), nullable=False),
    Column("body", Text, nullable=False),
    time_column("created_at"),
    json_column("translations", "{}"),
)
