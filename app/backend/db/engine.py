"""Engines for SQLite and PostgreSQL behind one small interface."""

from __future__ import annotations

import logging
import os
import stat
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, select, update
from sqlalchemy.engine import make_url

from app.backend.db import notify
from app.backend.db.tables import counters

_IMMEDIATE = "careline_immediate"
CONNECT_TIMEOUT = 3  # seconds to open a PostgreSQL connection (libpq's minimum is 2)
log = logging.getLogger("careline.hub.db")


def private_folder(folder: Path) -> None:
    """Make the hub's data folder, or keep it, readable by its owner alone: it holds
    personal data, attachments and dev-mode sign-in codes."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    _owner_only(folder)


def _owner_only(path: Path) -> None:
    """Take away what group and others may do with a file or folder of ours."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        try:
            path.chmod(mode & 0o700)
        except OSError as error:  # not ours: say so and go on, as before
            log.warning("%s is readable by others and could not be changed: %s", path, error)
        else:
            log.warning("%s was open to others (mode %o); now to its owner only", path, mode)


def _private_sqlite_file(url: str) -> None:
    """Create the SQLite file owner-only before SQLite opens it: the -wal and -shm files
    SQLite makes beside it take its permissions."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with suppress(FileExistsError):
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        for each in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm"))):
            if each.exists():
                _owner_only(each)
    except OSError as error:  # a read-only folder: SQLite itself says what it cannot do
        log.info("could not keep %s to its owner: %s", path, error)


def normalize_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs that name no driver."""
    parsed = make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


class Database:
    """The hub's database. `read()` for queries, `write()` for one transaction of changes."""

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = normalize_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        # Bound values (emails, message text) stay out of error messages and logs.
        options: dict[str, Any] = {"future": True, "hide_parameters": True}
        if self.is_sqlite:
            _private_sqlite_file(self.url)
            options["connect_args"] = {"check_same_thread": False, "timeout": 30}
            options["pool_size"] = pool_size
        else:
            options["pool_size"] = pool_size
            options["max_overflow"] = pool_size
            options["pool_pre_ping"] = True
            if "connect_timeout" not in make_url(self.url).query:
                # A server that takes the connection but never answers (frozen, or a
                # network path that drops packets) fails the request (503) instead of
                # holding it and its worker thread for good.
                options["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT}
        self.engine: Engine = create_engine(self.url, **options)
        self._writer_turn: AbstractContextManager[object] = (
            threading.RLock() if self.is_sqlite else nullcontext()
        )
        if self.is_sqlite:
            _configure_sqlite(self.engine)
        # Called at commit with the token ids a transaction of this process revoked.
        self.on_revoked: list[notify.Revoked] = []
        notify.install(self.engine, lambda: self.on_revoked)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction that commits on success. On SQLite it takes the write lock at
        BEGIN, so two writers queue instead of failing with 'database is locked'; the
        writers of this process queue on a lock of their own first, which hands over at
        once (SQLite's busy handler polls with sleeps of up to 100 ms, so under load some
        writers waited seconds while others went ahead)."""
        with self._writer_turn, self.engine.connect() as conn:
            conn.info[_IMMEDIATE] = True
            try:
                with conn.begin():
                    yield conn
            finally:
                conn.info.pop(_IMMEDIATE, None)

    def dispose(self) -> None:
        self.engine.dispose()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy's begin event below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get(_IMMEDIATE) else "BEGIN")


def next_counter(conn: Connection, name: str) -> int:
    """Take the next value of a named counter. The row lock it holds until commit makes
    values of concurrent transactions commit in the order they were taken."""
    statement = (
        update(counters)
        .where(counters.c.name == name)
        .values(value=counters.c.value + 1)
        .returning(counters.c.value)
    )
    value = conn.execute(statement).scalar_one()
    return int(value)


def lock_counters(conn: Connection, names: Sequence[str]) -> None:
    """Lock the named counters in the order given, as `next_counter` would, so that a
    transaction that takes several of them later never takes them out of this order.
    SQLite's transactions hold the whole database already."""
    if conn.dialect.name == "sqlite":
        return
    for name in names:
        conn.execute(select(counters.c.value).where(counters.c.name == name).with_for_update())
