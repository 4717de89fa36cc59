"""Storage: versioned migrations on both databases, one schema for both."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect

from app.backend.db import LATEST_VERSION, Database, migrate, schema_version
from app.backend.db.migrations import PRUNE_INDEXES
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
                indexes = {i["name"] for i in inspector.get_indexes(table.name)}
                assert {i.name for i in table.indexes} <= indexes, table.name
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
        assert migrate(db) == list(range(2, LATEST_VERSION + 1))
        with db.read() as conn:
            inspector = inspect(conn)
            assert "client_ref" in {c["name"] for c in inspector.get_columns("attachments")}
            indexes = {i["name"] for i in inspector.get_indexes("attachments")}
            assert "ux_attachments_client_ref" in indexes
    finally:
        db.dispose()


def test_a_version_7_database_gains_the_pruning_indexes(database_url: str) -> None:
    db = Database(database_url)
    try:
        migrate(db)
        with db.write() as conn:
            for name in PRUNE_INDEXES:
                conn.exec_driver_sql(f"DROP INDEX {name}")
            conn.exec_driver_sql("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
        assert migrate(db) == list(range(8, LATEST_VERSION + 1))
        with db.read() as conn:
            inspector = inspect(conn)
            found = {
                i["name"]: i["column_names"]
                for table in ("attachments", "mutations", "events")
                for i in inspector.get_indexes(table)
            }
        assert found["ix_attachments_unattached"] == ["case_id", "created_at"]
        assert found["ix_mutations_created_at"] == ["created_at"]
        assert found["ix_events_created_at"] == ["created_at"]
    finally:
        db.dispose()


def test_a_version_11_database_gains_staff_and_the_audit_log(database_url: str) -> None:
    db = Database(database_url)
    try:
        migrate(db)
        with db.write() as conn:
            for statement in (
                "DROP TABLE audit_log",
                "DROP TABLE staff",
                "DROP INDEX ix_tokens_staff_id",
                "ALTER TABLE tokens DROP COLUMN staff_id",
                "ALTER TABLE auth_codes DROP COLUMN purpose",
                "UPDATE meta SET value = '11' WHERE key = 'schema_version'",
            ):
                conn.exec_driver_sql(statement)
            # A customer's code pending across the upgrade still signs them in.
            conn.exec_driver_sql(
                "INSERT INTO auth_codes (email, attempt_hash, client, code_hash, attempts, "
                "expires_at, created_at) VALUES ('a@example.com', 'h', 'c', 'x', 0, 'z', 'z')"
            )
        assert migrate(db) == list(range(12, LATEST_VERSION + 1))
        with db.read() as conn:
            inspector = inspect(conn)
            assert {"staff", "audit_log"} <= set(inspector.get_table_names())
            assert "staff_id" in {c["name"] for c in inspector.get_columns("tokens")}
            assert "ix_tokens_staff_id" in {i["name"] for i in inspector.get_indexes("tokens")}
            assert "ix_audit_log_at" in {i["name"] for i in inspector.get_indexes("audit_log")}
            purpose = conn.exec_driver_sql("SELECT purpose FROM auth_codes").scalar_one()
        assert purpose == "customer"
    finally:
        db.dispose()
