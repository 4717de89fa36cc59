"""Where the hub token is kept. By default in the personal store's file (which only its
owner can read); on a desktop or phone with a keychain, in the keychain instead (the
views supply that keeper, as only a window can reach it). On a server it stays in the
device's store there: it never reaches the browser."""

from __future__ import annotations

import sqlite3
from typing import Protocol

from app.store import tables


class TokenKeeper(Protocol):
    def get(self, conn: sqlite3.Connection) -> str | None:
        """The token, read inside a transaction of the personal store."""
        ...

    def put(self, conn: sqlite3.Connection, token: str | None) -> None:
        """Keep `token` (None: forget it), inside the transaction that changes the
        session, so the rest of that change and the token go together."""
        ...

    def adopt(self, conn: sqlite3.Connection) -> None:
        """Take over a token an earlier version kept in the store file."""
        ...


class StoreTokens:
    """The token in the store file's `meta` table."""

    def get(self, conn: sqlite3.Connection) -> str | None:
        return tables.meta(conn, "token")

    def put(self, conn: sqlite3.Connection, token: str | None) -> None:
        tables.set_meta(conn, "token", token)

    def adopt(self, conn: sqlite3.Connection) -> None:
        """The file's token is already this keeper's."""
