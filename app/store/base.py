"""What every repository shares: its database, JSON columns, times and new local ids."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from app.schemas import Rejection
from app.schemas.common import format_time
from app.store import tables
from app.store.database import Database
from app.store.tables import Row


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | None) -> Any:
    return json.loads(text) if text else None


def rejection_from(text: str | None) -> Rejection | None:
    """A refusal stored as JSON text (NULL when there is none)."""
    return Rejection.model_validate_json(text) if text else None


def now_text() -> str:
    return format_time(datetime.now(UTC))


def new_local_id() -> str:
    """A client-made id that the hub keeps as `client_ref`."""
    return str(uuid.uuid4())


class Repo:
    """A repository reads and writes its tables of one database; collaborators (other
    repositories) are passed to its constructor by name."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def rows(
        self,
        table: str,
        where: str | None = None,
        args: Sequence[object] = (),
        *,
        order_by: str | None = None,
        limit: int | None = None,
    ) -> list[Row]:
        """Rows of `table` (`where` with its `args`), in one short transaction."""
        with self.db.transaction() as conn:
            return tables.rows(conn, table, where, args, order_by=order_by, limit=limit)


# Entity versions are read and written for every change a sync applies (thousands in a
# first sync): SQL, as sqlite-utils looks the table up again on every call (ten times
# slower here).


def held_version(conn: sqlite3.Connection, entity: str, entity_id: str) -> int | None:
    """The version of an entity this store last took from the hub (None: never)."""
    row = conn.execute(
        "SELECT version FROM entity_versions WHERE entity = ? AND id = ?", (entity, entity_id)
    ).fetchone()
    return int(row["version"]) if row else None


def hold_version(conn: sqlite3.Connection, entity: str, entity_id: str, version: int) -> None:
    conn.execute(
        "INSERT INTO entity_versions (entity, id, version) VALUES (?, ?, ?) "
        "ON CONFLICT (entity, id) DO UPDATE SET version = excluded.version",
        (entity, entity_id, version),
    )
