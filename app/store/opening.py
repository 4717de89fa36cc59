"""Opening the store at start-up, whatever state the device is in.

- Normally: the file in the data folder, migrated, with a small real write to learn
  whether the disk has room (a full disk shows its banner from the first screen).
- The folder or the file refuses writes: the same file opened read-only, so the customer
  still sees everything saved; `health` says so for the whole run (SQLite keeps a file
  it could only open for reading that way, so writes come back with the next start).
- No folder can be made, or no file opened at all: a store in memory, so the app still
  runs (status and help come from the hub); `health` says nothing will be kept."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from app.config import resolve_data_dir
from app.store.faults import (
    SQLITE_CANTOPEN,
    StorageError,
    StorageHealth,
    StorageProblem,
    StorageReadOnly,
    as_storage_error,
    sqlite_code,
)
from app.store.local import DB_NAME, LocalStore, connect
from app.store.migrations import LATEST, MigrationError, current_version, migrate

log = logging.getLogger("careline.store")


def open_store(data_dir: str | Path | None = None, *, memory: bool = False) -> LocalStore:
    """Open (and migrate) the store in the app's data folder, or in memory for tests. A
    device that refuses writes gives a read-only or in-memory store (see the module)."""
    if memory:
        return _open(connect(":memory:"), None, StorageHealth())
    folder = resolve_data_dir(data_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        log.error("cannot create the data folder %s: %s", folder, error)
        return in_memory(folder)
    path = folder / DB_NAME
    try:
        store = _open(connect(path), path, StorageHealth(folder))
    except (sqlite3.Error, OSError, MigrationError) as error:
        cause = error.__cause__ if isinstance(error, MigrationError) else error
        fault = as_storage_error(cause)
        if fault is None and sqlite_code(cause or error) != SQLITE_CANTOPEN:
            raise
        log.warning("cannot write the store %s (%s); opening it read-only", path, error)
        problem = fault.problem if fault else StorageProblem.read_only
        return open_read_only(path, problem) or in_memory(folder)
    try:
        store.check_space()
    except StorageReadOnly as error:
        # SQLite fell back to opening the file for reading: so it stays for this run.
        log.warning("the store is read-only: %s", error)
        store.read_only = True
        store.health.lasting = True
    except StorageError as error:  # a full disk: the banner shows it until there is room
        log.warning("the store cannot be written: %s", error)
    return store


def _open(conn: sqlite3.Connection, path: Path | None, health: StorageHealth) -> LocalStore:
    try:
        migrate(conn)
        store = LocalStore(conn, path, health=health)
        store.restore_search()
    except BaseException:
        conn.close()
        raise
    return store


def open_read_only(path: Path, problem: StorageProblem) -> LocalStore | None:
    """The store file as it is, for reading only; None when it cannot be read (missing,
    or from another version of the app, whose tables this one cannot read).

    `mode=ro` sees changes still in the write-ahead log, but needs its index file (-shm)
    to exist or be creatable; when the folder is read-only and the app was closed cleanly
    there is none, and `immutable=1` reads the file alone. That is only right when no
    write-ahead log is left over (after a crash it holds the latest work, which
    `immutable=1` would silently leave out)."""
    if not path.is_file():
        return None
    wal = path.with_name(path.name + "-wal")
    leftover_log = wal.is_file() and wal.stat().st_size > 0
    for options in ("mode=ro",) if leftover_log else ("mode=ro", "immutable=1"):
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?{options}",
            uri=True,
            check_same_thread=False,
            isolation_level=None,
            timeout=30,
        )
        conn.row_factory = sqlite3.Row
        try:
            version = current_version(conn)
        except sqlite3.Error as error:
            log.info("reading %s with %s failed: %s", path, options, error)
            conn.close()
            continue
        if version != LATEST:
            conn.close()
            return None
        health = StorageHealth(path.parent, problem, lasting=True)
        return LocalStore(conn, path, health=health, read_only=True)
    return None


def in_memory(folder: Path) -> LocalStore:
    """A store that lives as long as this run: the app works, but keeps nothing."""
    health = StorageHealth(folder, StorageProblem.unavailable, lasting=True)
    return _open(connect(":memory:"), None, health)
