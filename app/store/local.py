"""The local database and the one lock every repository shares. A write the disk refuses
(full, read-only) comes out of `transaction()` as `StorageFull` or `StorageReadOnly`, with
nothing of it stored, and is recorded in the store's `health`."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from app.store.faults import StorageHealth, as_storage_error
from app.store.migrations import (
    SEARCH_REBUILD,
    SEARCH_TRIGGER_NAMES,
    SEARCH_TRIGGERS,
    run_script,
)

DB_NAME = "careline.sqlite3"
# What `check_space` writes (and takes back): room for a small change, a reply say.
SPACE_PROBE_BYTES = 32 * 1024


class LocalStore:
    """The local database. Every read and write goes through `transaction()`, which holds a
    process-wide lock so the UI thread and sync workers never interleave half a change."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path | None = None,
        *,
        health: StorageHealth | None = None,
        read_only: bool = False,
    ) -> None:
        self.conn = conn
        self.path = path
        self.health = health or StorageHealth(path.parent if path else None)
        # Opened read-only (its folder or file refuses writes): shows what it holds.
        self.read_only = read_only
        self.db = sqlite_utils.Database(conn)
        self._lock = threading.RLock()
        # Bumped on every article change so search can rebuild its vocabulary lazily.
        self.kb_generation = 0
        # A bulk load took the search triggers away and has not put them back yet (a full
        # disk cut it short): the next sync puts them back first.
        self.search_off = False
        from app.store.repos import Repos

        self.repos = Repos(self)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work (nested calls join the outer one). A full disk or a
        read-only file raises `StorageFull` / `StorageReadOnly` with all of it undone."""
        with self._lock:
            if self.conn.in_transaction:
                yield self.conn
                return
            changes = self.conn.total_changes
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self.conn
                except BaseException:
                    self._rollback()
                    raise
                self.conn.execute("COMMIT")
            except (sqlite3.Error, OSError) as error:
                fault = as_storage_error(error)
                if fault is None:
                    raise
                # A failed COMMIT can leave the transaction open: end it, keep nothing.
                self._rollback()
                self.health.report(fault.problem)
                raise fault from error
            if self.conn.total_changes != changes:
                self.health.recovered()

    def _rollback(self) -> None:
        # SQLite may already have rolled back (it does on SQLITE_FULL): then there is
        # nothing to undo, and a ROLLBACK would hide the real error.
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def check_space(self) -> None:
        """Store (and take back) a small block for real. Raises `StorageFull` or
        `StorageReadOnly` while the disk still refuses; a success clears `health`."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('space_check', zeroblob(?)) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (SPACE_PROBE_BYTES,),
            )
            conn.execute("DELETE FROM meta WHERE key = 'space_check'")

    @contextmanager
    def bulk_articles(self) -> Iterator[None]:
        """Many article changes at once (a first sync, a reset): index them in one rebuild
        at the end instead of one by one."""
        with self.transaction() as conn:
            for name in SEARCH_TRIGGER_NAMES:
                conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        self.search_off = True
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
            if not set(SEARCH_TRIGGER_NAMES) <= present:
                for name in SEARCH_TRIGGER_NAMES:
                    conn.execute(f"DROP TRIGGER IF EXISTS {name}")
                run_script(conn, SEARCH_TRIGGERS + SEARCH_REBUILD)
                self.kb_generation += 1
        self.search_off = False

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
    try:
        if str(path) != ":memory:":
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
    except BaseException:
        conn.close()  # a folder that refuses the file: let it go, it is not ours to hold
        raise
    return conn
