"""sqlite-utils inside the store's transactions (app/store/tables.py): its writes are
part of the caller's unit of work, never committed early, and undone with the rest."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.store import StorageFull, open_local
from app.store.database import Database, connect
from app.store.migrations import MigrationError, migrate
from app.store.personal_schema import PERSONAL_SCHEMA
from app.store.tables import get, held, insert, meta, rows, set_meta, upsert
from tests.store.disk import tiny_disk


def store_db(path: Path) -> Database:
    conn = connect(path)
    migrate(conn, PERSONAL_SCHEMA)
    return Database(conn, path)


def other_reader(path: Path, key: str) -> str | None:
    """What a second connection sees: only what is committed."""
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    finally:
        conn.close()
    return str(row[0]) if row else None


def test_writes_join_the_callers_transaction_and_commit_with_it(tmp_path: Path) -> None:
    db = store_db(tmp_path / "s.sqlite3")
    with db.transaction() as conn:
        set_meta(conn, "pref:theme", "dark")
        upsert(conn, "feeds", {"name": "private", "cursor": "7"}, pk="name")
        assert conn.in_transaction
        assert other_reader(db.path or Path(), "pref:theme") is None  # nothing committed yet
    assert other_reader(db.path or Path(), "pref:theme") == "dark"


def test_writes_are_undone_with_the_callers_transaction(tmp_path: Path) -> None:
    db = store_db(tmp_path / "s.sqlite3")

    def change() -> None:
        with db.transaction() as conn:
            set_meta(conn, "pref:theme", "dark")
            insert(conn, "notified", {"key": "case:1", "created_at": "now"})
            raise RuntimeError("the rest of the change failed")

    with pytest.raises(RuntimeError):
        change()
    with db.transaction() as conn:
        assert meta(conn, "pref:theme") is None
        assert rows(conn, "notified") == []


def test_a_write_outside_a_transaction_is_refused(tmp_path: Path) -> None:
    db = store_db(tmp_path / "s.sqlite3")
    with pytest.raises(sqlite3.ProgrammingError, match="outside the store's transaction"):
        set_meta(db.conn, "pref:theme", "dark")
    assert other_reader(db.path or Path(), "pref:theme") is None


def test_an_upsert_updates_in_place_and_keeps_columns_it_leaves_out(tmp_path: Path) -> None:
    db = store_db(tmp_path / "s.sqlite3")
    with db.transaction() as conn:
        upsert(conn, "feeds", {"name": "private", "cursor": "1", "etag": "e"}, pk="name")
        upsert(conn, "feeds", {"name": "private", "cursor": "2"}, pk="name")
        assert get(conn, "feeds", "private") == {
            "name": "private",
            "cursor": "2",
            "etag": "e",
            "synced_at": None,
        }
        upsert(
            conn, "entity_versions", {"entity": "case", "id": "c1", "version": 3}, ("entity", "id")
        )
        assert held(conn, "entity_versions", ("case", "c1"))["version"] == 3
        with pytest.raises(KeyError):
            held(conn, "cases", "nobody")


def test_a_migration_step_written_with_sqlite_utils_is_undone_when_it_fails(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.sqlite3"
    conn = connect(path)
    migrate(conn, PERSONAL_SCHEMA)

    def half_done(conn: sqlite3.Connection) -> None:
        set_meta(conn, "half", "done")
        raise ValueError("the step breaks")

    with pytest.raises(MigrationError):
        migrate(conn, PERSONAL_SCHEMA, [(99, "half done", half_done)])
    assert other_reader(path, "half") is None
    assert other_reader(path, "schema_version") == str(PERSONAL_SCHEMA.version)


def test_a_full_disk_undoes_upserts_whole(tmp_path: Path) -> None:
    with tiny_disk(tmp_path / "disk") as disk:
        store = open_local(disk.folder)
        personal = store.personal
        disk.fill(personal.db, store.public.db)

        def change() -> None:
            with personal.db.transaction() as conn:
                set_meta(conn, "pref:theme", "dark")
                for n in range(200):
                    upsert(conn, "meta", {"key": f"bulk:{n}", "value": "x" * 4000}, pk="key")

        with pytest.raises(StorageFull):
            change()
        disk.free()
        with personal.db.transaction() as conn:
            assert meta(conn, "pref:theme") is None
            assert rows(conn, "meta", "key LIKE 'bulk:%'") == []
        store.close()
