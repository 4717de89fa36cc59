"""Opening the local database and the one lock every repository shares."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from app.config import resolve_data_dir
from app.store.migrations import (
    SEARCH_REBUILD,
    SEARCH_TRIGGER_NAMES,
    SEARCH_TRIGGERS,
    migrate,
    run_script,
)

DB_NAME = "careline.sqlite3"


class LocalStore:
    """The local database. Every read and write goes through `transaction()`, which holds a
    process-wide lock so the UI thread and sync workers never interleave half a change."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None) -> None:
        self.conn = conn
        self.path = path
        self.db = sqlite_utils.Database(conn)
        self._lock = threading.RLock()
        # Bumped on every article change so search can rebuild its vocabulary lazily.
        self.kb_generation = 0
        from app.store.repos import Repos

        self.repos = Repos(self)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work (nested calls join the outer one)."""
        with self._lock:
            if self.conn.in_transaction:
                yield self.conn
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    @contextmanager
    def bulk_articles(self) -> Iterator[None]:
        """Many article changes at once (a first sync, a reset): index them in one rebuild
        at the end instead of one by one."""
        with self.transaction() as conn:
            for name in SEARCH_TRIGGER_NAMES:
                conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        try:
            yield
        finally:
            self.restore_search()

    def restore_search(self) -> None:
        """Rebuild the search indexes and their triggers if a bulk load left them off."""
        with self.transaction() as conn:
            present = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            }
            if set(SEARCH_TRIGGER_NAMES) <= present:
                return
            for name in SEARCH_TRIGGER_NAMES:
                conn.execute(f"DROP TRIGGER IF EXISTS {name}")
            run_script(conn, SEARCH_TRIGGERS + SEARCH_REBUILD)
            self.kb_generation += 1

    def integrity_ok(self) -> bool:
        with self._lock:
            row = self.conn.execute("PRAGMA integrity_check").fetchone()
        return bool(row and row[0] == "ok")

    def close(self) -> None:
        with self._lock:
            self.conn.close()


def connect(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
    conn.row_factory = sqlite3.Row
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def open_store(data_dir: str | Path | None = None, *, memory: bool = False) -> LocalStore:
    """Open (and migrate) the store in the app's data folder, or in memory for tests."""
    if memory:
        conn = connect(":memory:")
        path = None
    else:
        folder = resolve_data_dir(data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / DB_NAME
        conn = connect(path)
    migrate(conn)
    store = LocalStore(conn, path)
    store.restore_search()
    return store
