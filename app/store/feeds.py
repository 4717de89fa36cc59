"""Where each feed from the hub stands: its cursor or ETag, and when it was last synced.
The public store keeps `status` and `kb`; the personal store keeps `private` (the
customer's own cases, callbacks and alerts)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from app.store import tables
from app.store.base import Repo, now_text


@dataclass(frozen=True)
class Feed:
    name: str
    cursor: str | None
    etag: str | None
    synced_at: str | None


class Feeds(Repo):
    def feed(self, name: str) -> Feed:
        with self.db.transaction() as conn:
            row = tables.get(conn, "feeds", name)
        if row is None:
            return Feed(name, None, None, None)
        return Feed(name, row["cursor"], row["etag"], row["synced_at"])

    def save(
        self,
        conn: sqlite3.Connection,
        name: str,
        *,
        cursor: str | None = None,
        etag: str | None = None,
    ) -> None:
        """Inside the transaction that stores what the feed brought: move it on."""
        record = {"name": name, "cursor": cursor, "etag": etag, "synced_at": now_text()}
        tables.upsert(conn, "feeds", record, pk="name")

    def touch(self, name: str) -> None:
        """Nothing new (304): remember that the feed was checked."""
        with self.db.transaction() as conn:
            current = tables.get(conn, "feeds", name)
            self.save(
                conn,
                name,
                cursor=current["cursor"] if current else None,
                etag=current["etag"] if current else None,
            )

    def forget(self, conn: sqlite3.Connection, name: str) -> None:
        """Start the feed again from nothing (another customer signed in)."""
        conn.execute("DELETE FROM feeds WHERE name = ?", (name,))

    def last_synced(self) -> str | None:
        with self.db.transaction() as conn:
            row = conn.execute("SELECT max(synced_at) FROM feeds").fetchone()
        return str(row[0]) if row and row[0] else None
