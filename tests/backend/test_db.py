"""Storage: versioned migrations on both databases, one schema for both."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect

from app.backend.db import LATEST_VERSION, Database, migrate, schema_version
from app.backend.db.tables import metadata
from app.backend.settings import sqlite_url


def test_migrations_run_once_and_match_the_tables(database_url: str) -> None:
    db = Database(database_url)
    try:
        assert schema_version(db) == 0
        assert migrate(db) == list(range(1, LATEST_VERSION + 1))
        assert migrate(db) == []
        assert schema_version(db) == LATEST_VERSION
        with db.read() as conn:
            inspector = inspect(conn)
            for table in metadata.sorted_tables:
                columns = {c["name"] for c in inspector.get_columns(table.name)}
                assert columns == {c.name for c in table.columns}, table.name
    finally:
        db.dispose()


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    db = Database(sqlite_url(tmp_path))
    try:
        with db.read() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        db.dispose()


def test_a_version_1_database_gains_upload_keys(database_url: str) -> None:
    db = Database(database_url)
    try:
        migrate(db)
        with db.write() as conn:
            conn.exec_driver_sql("DROP INDEX ux_attachments_client_ref")
            conn.exec_driver_sql("ALTER TABLE attachments DROP COLUMN client_ref")
            conn.exec_driver_sql("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        assert migrate(db) == [2, 3, 4]
        with db.read() as conn:
            inspector = inspect(conn)
            assert "client_ref" in {c["name"] for c in inspector.get_columns("attachments")}
            indexes = {i["name"] for i in inspector.get_indexes("attachments")}
            assert "ux_attachments_client_ref" in indexes
    finally:
        db.dispose()
