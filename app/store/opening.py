"""Opening the stores at start-up, whatever state the device is in.

- Normally: the file in its folder, migrated, with a small real write to learn whether
  the disk has room (a full disk shows its banner from the first screen).
- The folder or the file refuses writes: the same file opened read-only, so the customer
  still sees everything saved; `health` says so for the whole run (SQLite keeps a file
  it could only open for reading that way, so writes come back with the next start).
- No folder can be made, or no file opened at all: a store in memory, so the app still
  runs (status and help come from the hub); `health` says nothing will be kept.

A desktop or phone keeps both stores in its data folder (`open_local`); a server keeps
one public store and a personal store per browser (`open_public`, `open_personal`)."""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.config import resolve_data_dir
from app.store.database import Database, connect
from app.store.faults import (
    SQLITE_CANTOPEN,
    StorageError,
    StorageHealth,
    StorageProblem,
    StorageReadOnly,
    as_storage_error,
    sqlite_code,
)
from app.store.migrations import MigrationError, Schema, current_version, migrate
from app.store.personal_schema import PERSONAL_SCHEMA, PUBLIC_ENTITIES, PUBLIC_FEEDS
from app.store.public_schema import PUBLIC_SCHEMA
from app.store.public_schema import TABLES as PUBLIC_TABLES
from app.store.stores import PersonalStore, PublicStore
from app.store.tokens import TokenKeeper

log = logging.getLogger("careline.store")
PUBLIC_FILE = "content.sqlite3"
PERSONAL_FILE = "careline.sqlite3"


@dataclass
class LocalStores:
    """Both stores of a desktop or phone, in one data folder."""

    public: PublicStore
    personal: PersonalStore

    def close(self) -> None:
        self.personal.close()
        self.public.close()


def open_local(
    data_dir: str | Path | None = None, *, memory: bool = False, tokens: TokenKeeper | None = None
) -> LocalStores:
    """Both stores in the app's data folder, which only its owner may open (or in memory,
    for tests). A file made by an older version, which held both, gives its public content
    to the public store. `tokens`: a keychain for the hub token."""
    if memory:
        personal = open_personal(None, memory=True, tokens=tokens)
        return LocalStores(open_public(None, memory=True), personal)
    folder = resolve_data_dir(data_dir)
    _owner_only(folder)
    health = StorageHealth(folder)
    public = open_public(folder, health=health)
    _move_public_content_out(public, folder / PERSONAL_FILE)
    return LocalStores(public, open_personal(folder, health=health, tokens=tokens))


def _owner_only_files(path: Path) -> None:
    """Make the store file readable by its owner alone before SQLite opens it: the log
    files SQLite makes beside it take its permissions."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        for each in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm"))):
            if each.exists():
                each.chmod(0o600)
    except OSError as error:  # a read-only folder: opening the store says what it can do
        log.info("could not keep %s to its owner: %s", path, error)


def _owner_only(folder: Path) -> None:
    """The data folder holds the customer's data (and, without a keychain, the hub
    token): nobody else on the machine may read it."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
    except OSError as error:  # read-only or not ours: the store says what it can do
        log.info("could not keep %s to its owner: %s", folder, error)


def open_public(
    folder: Path | None, *, memory: bool = False, health: StorageHealth | None = None
) -> PublicStore:
    db = _open(folder, PUBLIC_FILE, PUBLIC_SCHEMA, memory=memory, health=health)
    store = PublicStore(db)
    if not db.read_only:
        store.content.restore_search()  # a bulk load cut short by a crash
    return store


def open_personal(
    folder: Path | None,
    *,
    memory: bool = False,
    health: StorageHealth | None = None,
    compact: bool = False,
    tokens: TokenKeeper | None = None,
) -> PersonalStore:
    """`compact`: one of many on a server (see `database.connect`); `tokens`: a keychain
    for the hub token."""
    db = _open(
        folder, PERSONAL_FILE, PERSONAL_SCHEMA, memory=memory, health=health, compact=compact
    )

    def reopen() -> sqlite3.Connection:
        try:
            return _fresh(db.path, PERSONAL_SCHEMA, compact)
        except (sqlite3.Error, OSError, MigrationError) as error:
            # The old file is gone; without room for a new one this run keeps nothing.
            log.error("cannot make a new store at %s: %s", db.path, error)
            db.health.problem, db.health.lasting = StorageProblem.unavailable, True
            return _fresh(None, PERSONAL_SCHEMA, compact)

    if tokens is not None and not db.read_only:
        with db.transaction() as conn:
            tokens.adopt(conn)
    return PersonalStore(db, reopen=reopen, tokens=tokens)


def _fresh(path: Path | None, schema: Schema, compact: bool) -> sqlite3.Connection:
    conn = connect(path or ":memory:", compact=compact)
    try:
        migrate(conn, schema)
    except BaseException:
        conn.close()
        raise
    return conn


def _open(
    folder: Path | None,
    name: str,
    schema: Schema,
    *,
    memory: bool,
    health: StorageHealth | None,
    compact: bool = False,
) -> Database:
    if memory or folder is None:
        return Database(_fresh(None, schema, compact), None, health=health or StorageHealth())
    health = health or StorageHealth(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        log.error("cannot create the data folder %s: %s", folder, error)
        return in_memory(schema, health)
    path = folder / name
    _owner_only_files(path)
    try:
        db = Database(
            _fresh(path, schema, compact),
            path,
            health=health,
            opener=lambda: connect(path, compact=compact),
        )
    except (sqlite3.Error, OSError, MigrationError) as error:
        cause = error.__cause__ if isinstance(error, MigrationError) else error
        fault = as_storage_error(cause)
        if fault is None and sqlite_code(cause or error) != SQLITE_CANTOPEN:
            raise
        log.warning("cannot write the store %s (%s); opening it read-only", path, error)
        problem = fault.problem if fault else StorageProblem.read_only
        return open_read_only(path, schema, health, problem) or in_memory(schema, health)
    if compact:
        return db  # one of many on a server: its first write tells of a full disk
    try:
        db.check_space()
    except StorageReadOnly as error:
        # SQLite fell back to opening the file for reading: so it stays for this run.
        log.warning("the store is read-only: %s", error)
        db.read_only = True
        db.health.lasting = True
    except StorageError as error:  # a full disk: the banner shows it until there is room
        log.warning("the store cannot be written: %s", error)
    return db


def open_read_only(
    path: Path, schema: Schema, health: StorageHealth, problem: StorageProblem
) -> Database | None:
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
        if version != schema.version:
            conn.close()
            return None
        health.problem, health.lasting = problem, True
        return Database(conn, path, health=health, read_only=True)
    return None


def in_memory(schema: Schema, health: StorageHealth) -> Database:
    """A store that lives as long as this run: the app works, but keeps nothing."""
    health.problem, health.lasting = StorageProblem.unavailable, True
    return Database(_fresh(None, schema, False), None, health=health)


def _move_public_content_out(public: PublicStore, legacy: Path) -> None:
    """A file of version 4 or older held public content beside the personal data: copy
    it to the public store before the personal store's migration drops it, so what the
    customer had seen stays readable offline. Rows the public store has already win."""
    if public.db.read_only or not legacy.is_file():
        return
    try:
        probe = sqlite3.connect(legacy)
        try:
            version = current_version(probe)
        finally:
            probe.close()
        if not 1 <= version < PERSONAL_SCHEMA.version:
            return
        conn = public.db.conn
        conn.execute("ATTACH DATABASE ? AS legacy", (str(legacy),))
        try:
            with public.db.transaction():
                for table in PUBLIC_TABLES:
                    conn.execute(f"INSERT OR IGNORE INTO main.{table} SELECT * FROM legacy.{table}")
                marks = ", ".join("?" for _ in PUBLIC_FEEDS)
                conn.execute(
                    f"INSERT OR IGNORE INTO main.feeds SELECT * FROM legacy.feeds "
                    f"WHERE name IN ({marks})",
                    PUBLIC_FEEDS,
                )
                if version >= 4:
                    marks = ", ".join("?" for _ in PUBLIC_ENTITIES)
                    conn.execute(
                        "INSERT OR IGNORE INTO main.entity_versions SELECT * FROM "
                        f"legacy.entity_versions WHERE entity IN ({marks})",
                        PUBLIC_ENTITIES,
                    )
        finally:
            conn.execute("DETACH DATABASE legacy")
    except (sqlite3.Error, StorageError) as error:
        # Nothing lost that the hub cannot send again: the next sync fetches it.
        log.warning("public content of %s not carried over: %s", legacy, error)
