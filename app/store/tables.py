"""sqlite-utils over a store's own connection: tables created, rows upserted and read by
key, with no SQL written out. It writes only inside the store's transaction
(`Database.transaction()` or a migration's): there every sqlite-utils write is a savepoint
of that transaction, so nothing of it is committed early, and a full disk undoes it with
the rest. Outside one, sqlite-utils would open and commit a transaction of its own.

The `meta` table every store file has (key, value) is read and written here too."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

import sqlite_utils
from sqlite_utils.db import Table, quote_identifier

# A row as sqlite-utils gives it: column name to value.
Row = dict[str, Any]
# A primary key's value, and its column names (one, or several for a compound key).
Key = str | int | tuple[str | int, ...]
Columns = str | tuple[str, ...]


class _Tables(sqlite_utils.Database):
    """sqlite-utils without its upsert probe: to learn whether SQLite has `ON CONFLICT DO
    UPDATE`, it would create and drop a table in the store, inside the caller's
    transaction, on every new wrapper (and a full disk would make it fall back to its
    older upsert). The SQLite the app runs on has it (3.24 and later)."""

    @property
    def supports_on_conflict(self) -> bool:
        return True


def tables(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """The connection as sqlite-utils sees it (nothing is opened or set: no recursive
    triggers, which would change what `INSERT OR REPLACE` fires, and no plugins)."""
    return _Tables(conn, recursive_triggers=False, execute_plugins=False)


def table(conn: sqlite3.Connection, name: str) -> Table:
    return tables(conn).table(name)


def writing(conn: sqlite3.Connection, name: str) -> Table:
    """`name` to write to: only inside a transaction (see the module's note)."""
    if not conn.in_transaction:
        raise sqlite3.ProgrammingError(f"a write to {name} outside the store's transaction")
    return table(conn, name)


def create(
    conn: sqlite3.Connection,
    name: str,
    columns: Mapping[str, type],
    *,
    pk: Columns,
    not_null: Sequence[str] = (),
    defaults: Mapping[str, object] | None = None,
) -> None:
    """A new table: its columns in order, with their Python types (str: TEXT, int:
    INTEGER, bytes: BLOB), its primary key, the columns that may not be NULL."""
    writing(conn, name)
    tables(conn).create_table(
        name, dict(columns), pk=pk, not_null=not_null, defaults=dict(defaults or {})
    )


def insert(conn: sqlite3.Connection, name: str, record: Mapping[str, object]) -> int:
    """Add `record` as a new row (its key must be new); returns its rowid."""
    return int(writing(conn, name).insert(dict(record)).last_rowid or 0)


def upsert(conn: sqlite3.Connection, name: str, record: Mapping[str, object], pk: Columns) -> None:
    """Insert `record`, or update the columns it names in the row with its key (an update
    in place: update triggers fire, and columns it leaves out keep their values)."""
    writing(conn, name).upsert(dict(record), pk=pk)


# Each table's primary key, looked up once (`Table.get` would ask SQLite on every call);
# a table of a given name has the same key in every store file.
_KEYS: dict[str, list[str]] = {}


def get(conn: sqlite3.Connection, name: str, key: Key) -> Row | None:
    """The row of `name` with primary key `key` (None: there is none)."""
    columns = _KEYS.get(name)
    if columns is None:
        held_table = table(conn, name)
        if not held_table.exists():
            return None
        columns = _KEYS[name] = held_table.pks
    values = list(key) if isinstance(key, tuple) else [key]
    where = " AND ".join(f"{quote_identifier(column)} = ?" for column in columns)
    found = rows(conn, name, where, values, limit=1)
    return found[0] if found else None


def held(conn: sqlite3.Connection, name: str, key: Key) -> Row:
    """The row with primary key `key`, which the caller is about to change; KeyError when
    there is none."""
    row = get(conn, name, key)
    if row is None:
        raise KeyError(key)
    return row


def rows(
    conn: sqlite3.Connection,
    name: str,
    where: str | None = None,
    args: Sequence[object] = (),
    *,
    order_by: str | None = None,
    select: str = "*",
    limit: int | None = None,
) -> list[Row]:
    return list(
        table(conn, name).rows_where(
            where, list(args), order_by=order_by, select=select, limit=limit
        )
    )


def meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = get(conn, "meta", key)
    return str(row["value"]) if row else None


def set_meta(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    """Keep `value` under `key` (None: forget the key)."""
    if value is None:
        writing(conn, "meta").delete_where("key = ?", [key])
    else:
        upsert(conn, "meta", {"key": key, "value": value}, pk="key")
