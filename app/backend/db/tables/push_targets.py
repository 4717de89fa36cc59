"""Who gets told what: a customer's subscriptions, and the devices pushes go to (a
customer's, and those that follow public alerts without an account)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Integer, String, Table, Text

from app.backend.db.tables.common import (
    created_and_updated,
    customer_column,
    id_column,
    json_column,
    metadata,
    time_column,
    version_column,
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("customer_id", String(40), primary_key=True),
    Column("data", Text, nullable=False),
    version_column(),
    time_column("updated_at"),
)


def _lifetime() -> list[Column[Any]]:
    """When a device came and last changed, and the pushes to it that failed in a row and
    since when: it is given up after some."""
    return [
        *created_and_updated(),
        Column("push_failures", Integer, nullable=False, default=0),
        time_column("failing_since", nullable=True),
    ]


devices = Table(
    "devices",
    metadata,
    id_column(),
    customer_column(),
    Column("platform", String(32), nullable=False),
    Column("endpoint", Text, nullable=False),
    json_column("keys", "{}"),
    *_lifetime(),
)

# Devices that get public alerts without an account (a browser that turned alerts on
# before signing in): what they follow, and a hash of the secret that changes or ends it.
alert_devices = Table(
    "alert_devices",
    metadata,
    id_column(),
    Column("secret_hash", String(64), nullable=False),
    Column("platform", String(32), nullable=False),
    Column("endpoint", Text, nullable=False),
    Column("endpoint_hash", String(64), nullable=False, unique=True),
    json_column("keys", "{}"),
    json_column("follows", "{}"),
    Column("locale", String(35)),  # the language its pushes come in; None: the default
    *_lifetime(),
)
