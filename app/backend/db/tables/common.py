"""What every table of the hub is built from: the one `MetaData`, the column shapes that
recur across tables, and the hub's own bookkeeping (`meta`, `counters`).

Times are RFC 3339 UTC text (sortable, identical on both databases); lists and documents
are JSON text."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, Text

metadata = MetaData()


def time_column(name: str, *, nullable: bool = False) -> Column[str]:
    return Column(name, String(32), nullable=nullable)


def id_column(length: int = 40) -> Column[str]:
    """The primary key of an entity that has one id."""
    return Column("id", String(length), primary_key=True)


def customer_column() -> Column[str]:
    """The customer a row belongs to: every read of it is scoped by this column."""
    return Column("customer_id", String(40), nullable=False, index=True)


def version_column() -> Column[int]:
    """The entity's version: it moves on every change (optimistic concurrency, sync)."""
    return Column("version", Integer, nullable=False, default=1)


def json_column(name: str, empty: str) -> Column[str]:
    """A list or document as JSON text, `empty` ("[]" or "{}") when nothing is given.
    `translations` columns hold locale -> the translated fields of the row's text."""
    return Column(name, Text, nullable=False, default=empty)


def created_and_updated() -> list[Column[Any]]:
    return [time_column("created_at"), time_column("updated_at")]


meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

counters = Table(
    "counters",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", BigInteger, nullable=False),
)
