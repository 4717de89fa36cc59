"""Versioned migrations of a local database. A migration runs in one transaction with the
version bump, and is refused if it would lose an unsynced outbox entry. A new, empty file
gets the schema's latest form at once (its baseline) rather than every step since the
first."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.store import tables

Step = Callable[[sqlite3.Connection], None]
Migration = tuple[int, str, Step]


@dataclass(frozen=True)
class Schema:
    """A kind of store: its latest form for a new file, and the steps that bring an older
    file to it."""

    name: str
    version: int  # the baseline's, and the last step's
    baseline: Step
    migrations: Sequence[Migration] = ()


class MigrationError(RuntimeError):
    """A migration failed or would lose data; the database is left as it was."""


def in_order(*steps: Step) -> Step:
    """One step made of several."""

    def run(conn: sqlite3.Connection) -> None:
        for step in steps:
            step(conn)

    return run


def bookkeeping(conn: sqlite3.Connection) -> None:
    """What every store file has: its settings and marks (`meta`, which holds the schema
    version), and where each feed from the hub stands."""
    tables.create(conn, "meta", {"key": str, "value": str}, pk="key", not_null=["value"])
    feeds = {"name": str, "cursor": str, "etag": str, "synced_at": str}
    tables.create(conn, "feeds", feeds, pk="name")


def entity_versions(conn: sqlite3.Connection) -> None:
    """The version of each entity the hub sent (so a replayed live event never undoes a
    newer pull)."""
    columns = {"entity": str, "id": str, "version": int}
    tables.create(conn, "entity_versions", columns, pk=("entity", "id"), not_null=list(columns))


def script(sql: str) -> Step:
    def run(conn: sqlite3.Connection) -> None:
        run_script(conn, sql)

    return run


def run_script(conn: sqlite3.Connection, sql: str) -> None:
    for statement in _statements(sql):
        conn.execute(statement)


def _statements(sql: str) -> list[str]:
    """Split a script on `;` ending a line, keeping trigger bodies whole."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for line in sql.strip().splitlines():
        current.append(line)
        upper = line.strip().upper()
        if upper.startswith("CREATE TRIGGER"):
            depth += 1
        if upper == "END;":
            depth -= 1
        if line.rstrip().endswith(";") and depth == 0:
            parts.append("\n".join(current))
            current = []
    return parts


def current_version(conn: sqlite3.Connection) -> int:
    """0: a new file (no `meta` table yet)."""
    version = tables.meta(conn, "schema_version") if tables.table(conn, "meta").exists() else None
    return int(version) if version else 0


def _unsynced(conn: sqlite3.Connection) -> set[str]:
    """The outbox's keys (none before there is an outbox)."""
    waiting = tables.rows(conn, "outbox", "state != 'applied'", select="key")
    return {str(row["key"]) for row in waiting}


def migrate(
    conn: sqlite3.Connection, schema: Schema, migrations: Sequence[Migration] | None = None
) -> list[int]:
    """Bring the file to `schema`'s latest version (or to the last of `migrations`):
    a new file in one step, an older one step by step, each in its own transaction.
    Returns the versions applied."""
    steps = schema.migrations if migrations is None else migrations
    if current_version(conn) == 0:
        _apply(conn, schema.version, f"{schema.name} (new)", schema.baseline)
        applied = [schema.version]
    else:
        applied = []
    for version, name, step in steps:
        if version <= current_version(conn):
            continue
        _apply(conn, version, name, step)
        applied.append(version)
    return applied


def _apply(conn: sqlite3.Connection, version: int, name: str, step: Step) -> None:
    before = _unsynced(conn)
    conn.execute("BEGIN IMMEDIATE")
    try:
        step(conn)
        lost = before - _unsynced(conn)
        if lost:
            raise MigrationError(
                f"migration {version} ({name}) would lose {len(lost)} unsynced changes"
            )
        tables.set_meta(conn, "schema_version", str(version))
    except BaseException as error:
        conn.execute("ROLLBACK")
        if isinstance(error, MigrationError):
            raise
        raise MigrationError(f"migration {version} ({name}) failed: {error}") from error
    conn.execute("COMMIT")
