"""Engines for SQLite and PostgreSQL behind one small interface."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, update
from sqlalchemy.engine import make_url

from app.backend.db.tables import counters

_IMMEDIATE = "careline_immediate"
CONNECT_TIMEOUT = 3  # seconds to open a PostgreSQL connection (libpq's minimum is 2)


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
