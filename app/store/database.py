"""One SQLite file and its transactions: the connection, the lock every repository shares,
and what the disk says. A write the disk refuses (full, read-only) comes out of
`transaction()` as `StorageFull` or `StorageReadOnly`, with nothing of it stored, and is
recorded in `health`. Knows nothing of the tables in it.

A server holding thousands of small stores closes the files nobody is using
(`close_if_idle`); the next transaction opens its file again."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from app.store.faults import StorageHealth, as_storage_error

log = logging.getLogger("careline.store")
# What `check_space` writes (and takes back): room for a small change, a reply say.
SPACE_PROBE_BYTES = 32 * 1024


class Database:
    """Every read and write goes through `transaction()`, which holds a lock so the UI
    thread and sync workers never interleave half a change."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path | None = None,
        *,
        health: StorageHealth | None = None,
        read_only: bool = False,
        opener: Callable[[], sqlite3.Connection] | None = None,
    ) -> None:
        """`opener` opens the file again after `close_if_idle` (without it, never)."""
        self._conn: sqlite3.Connection | None = conn
        self._opener = opener
        self._used = time.monotonic()
        self.path = path
        self.health = health or StorageHealth(path.parent if path else None)
        # Opened read-only (its folder or file refuses writes): shows what it holds.
        self.read_only = read_only
        self._lock = threading.RLock()

    @property
    def conn(self) -> sqlite3.Connection:
        """The open connection (the file is opened again if it was closed while idle)."""
        with self._lock:
            if self._conn is None:
                if self._opener is None:
                    raise sqlite3.ProgrammingError("the store is closed")
                self._conn = self._opener()
            self._used = time.monotonic()
            return self._conn

    def close_if_idle(self, seconds: float) -> bool:
        """Close the file if nothing used it for `seconds` (and it can be opened again);
        True if closed. Never waits for a transaction in progress."""
        if not self._lock.acquire(blocking=False):
            return False
        try:
            idle = time.monotonic() - self._used >= seconds
            if self._conn is None or self._opener is None or not idle:
                return False
            if self._conn.in_transaction:
                return False
            self._conn.close()
            self._conn = None
            return True
        finally:
            self._lock.release()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work (nested calls join the outer one). A full disk or a
        read-only file raises `StorageFull` / `StorageReadOnly` with all of it undone."""
        with self._lock:
            conn = self.conn
            if conn.in_transaction:
                yield conn
                return
            changes = conn.total_changes
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    self._rollback()
                    raise
                conn.execute("COMMIT")
            except (sqlite3.Error, OSError) as error:
                fault = as_storage_error(error)
                if fault is None:
                    raise
                # A failed COMMIT can leave the transaction open: end it, keep nothing.
                self._rollback()
                self.health.report(fault.problem)
                raise fault from error
            if conn.total_changes != changes:
                self.health.recovered()

    def _rollback(self) -> None:
        # SQLite may already have rolled back (it does on SQLITE_FULL): then there is
        # nothing to undo, and a ROLLBACK would hide the real error.
        if self._conn is not None and self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

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

    def replace(self, make: Callable[[], sqlite3.Connection]) -> None:
        """Close this file, delete it (with its write-ahead log), and carry on with the
        new connection `make` opens in its place: whoever holds this object sees only the
        new file from the next transaction on. The log is folded into the file first, so
        a file that cannot be deleted keeps its last committed state."""
        with self._lock:
            try:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as error:
                log.warning("could not fold the log into %s: %s", self.path, error)
            self.conn.close()
            self._conn = None
            if self.path is not None:
                try:
                    for suffix in ("", "-wal", "-shm", "-journal"):
                        self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
                except OSError as error:
                    log.error("could not delete %s: %s", self.path, error)
            self._conn = make()

    def integrity_ok(self) -> bool:
        with self._lock:
            row = self.conn.execute("PRAGMA integrity_check").fetchone()
        return bool(row and row[0] == "ok")

    def close(self) -> None:
        """Close for good."""
        with self._lock:
            self._opener = None
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def connect(path: Path | str, *, compact: bool = False) -> sqlite3.Connection:
    """A connection with foreign keys on; a file in WAL mode. `compact`: one of many small
    stores on a server, where memory per store counts more than speed: small pages (a new
    file takes 30 kB, not 100), a small page cache (128 kB, not 2 MB), few prepared
    statements kept, and a rollback journal instead of the write-ahead log and its shared
    memory (32 kB more per open file)."""
    conn = sqlite3.connect(
        str(path),
        check_same_thread=False,
        isolation_level=None,
        timeout=30,
        cached_statements=16 if compact else 128,
    )
    conn.row_factory = sqlite3.Row
    try:
        if compact:  # before anything is written: a file's page size is set once
            conn.execute("PRAGMA page_size=1024")
            conn.execute("PRAGMA cache_size=-128")
        if str(path) != ":memory:":
            conn.execute(f"PRAGMA journal_mode={'TRUNCATE' if compact else 'WAL'}")
        # NORMAL is durable with the write-ahead log; a rollback journal needs FULL.
        conn.execute(f"PRAGMA synchronous={'FULL' if compact else 'NORMAL'}")
        conn.execute("PRAGMA foreign_keys=ON")
    except BaseException:
        conn.close()  # a folder that refuses the file: let it go, it is not ours to hold
        raise
    return conn
