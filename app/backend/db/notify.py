"""What a transaction tells every hub process when it commits (PostgreSQL NOTIFY).

Payloads are small: `e<seq>` (events were published, the first of them `seq`), `c` (the
change feed moved), `t<token id>` (a token stopped working). PostgreSQL delivers them at
commit and drops them on rollback, so a listener never hears of what did not happen. The
channel is per schema (`careline:<schema>`): hubs on other schemas of one database do not
wake each other.

`e` and `c` go out once per transaction (a transaction that records a thousand changes
sends one `c`); a rolled-back savepoint forgets that, so the next one sends again. On
SQLite nothing is sent: its hub processes poll.

Token ids also reach this process's own callbacks at commit (`install`), so a process
that revoked a token refuses it at once, before its own notification comes back."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Connection, Engine, event, text

CHANNEL_PREFIX = "careline:"
_SENT = "careline_notified"  # kinds sent in this transaction (e, c)
_REVOKED = "careline_revoked"  # token ids revoked in this transaction
_NOTIFY = text("SELECT pg_notify(:prefix || current_schema(), :payload)")

Revoked = Callable[[list[str]], None]


def _send(conn: Connection, payload: str) -> None:
    conn.execute(_NOTIFY, {"prefix": CHANNEL_PREFIX, "payload": payload})


def _once(conn: Connection, kind: str, payload: str) -> None:
    if conn.dialect.name != "postgresql":
        return
    sent: set[str] = conn.info.setdefault(_SENT, set())
    if kind not in sent:
        sent.add(kind)
        _send(conn, payload)


def events_published(conn: Connection, seq: int) -> None:
    """Events were appended in this transaction, the first of them `seq`."""
    _once(conn, "e", f"e{seq}")


def changes_recorded(conn: Connection) -> None:
    """The change feed moved in this transaction."""
    _once(conn, "c", "c")


def tokens_revoked(conn: Connection, token_ids: Iterable[str]) -> None:
    """These tokens stop working when this transaction commits."""
    ids = list(token_ids)
    if not ids:
        return
    conn.info.setdefault(_REVOKED, []).extend(ids)
    if conn.dialect.name == "postgresql":
        for token_id in ids:
            _send(conn, f"t{token_id}")


def install(engine: Engine, on_revoked: Callable[[], list[Revoked]]) -> None:
    """Forget what a transaction sent when it ends; at commit, hand the tokens it revoked
    to this process's callbacks (`on_revoked()` lists them)."""

    @event.listens_for(engine, "commit")
    def on_commit(conn: Connection) -> None:
        conn.info.pop(_SENT, None)
        revoked: list[str] = conn.info.pop(_REVOKED, [])
        if revoked:
            for callback in on_revoked():
                callback(revoked)

    @event.listens_for(engine, "rollback")
    def on_rollback(conn: Connection) -> None:
        conn.info.pop(_SENT, None)
        conn.info.pop(_REVOKED, None)

    @event.listens_for(engine, "rollback_savepoint")
    def on_rollback_savepoint(conn: Connection, *_args: Any) -> None:
        # What the savepoint sent is undone with it: send again if needed. A revocation
        # it undid is still handed out at commit, which only costs a cache miss.
        conn.info.pop(_SENT, None)
