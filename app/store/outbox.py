"""The outbox: customer actions waiting to reach the hub, in the order they were made.

`seq` is AUTOINCREMENT, so a number is never handed out twice, even after a drain."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from app.schemas import MutationIn, MutationName, Rejection
from app.schemas.common import parse_time
from app.store import tables
from app.store.base import Repo, dumps, loads, new_local_id, now_text, rejection_from
from app.store.tables import Row


@dataclass(frozen=True)
class OutboxEntry:
    seq: int
    key: str
    name: MutationName
    args: dict[str, Any]
    created_at: str
    state: str
    attempts: int
    error: Rejection | None
    entity: str | None
    entity_id: str | None

    def to_wire(self) -> MutationIn:
        return MutationIn(
            seq=self.seq,
            key=self.key,
            name=self.name,
            args=self.args,
            created_at=parse_time(self.created_at),
        )


def _entry(row: Row) -> OutboxEntry:
    return OutboxEntry(
        seq=row["seq"],
        key=row["key"],
        name=MutationName(row["name"]),
        args=loads(row["args"]),
        created_at=row["created_at"],
        state=row["state"],
        attempts=row["attempts"],
        error=rejection_from(row["error"]),
        entity=row["entity"],
        entity_id=row["entity_id"],
    )


class Outbox(Repo):
    def add(
        self,
        conn: sqlite3.Connection,
        name: MutationName,
        args: dict[str, Any],
        *,
        entity: str | None = None,
        entity_id: str | None = None,
    ) -> int:
        """Queue a mutation inside the caller's transaction (with its local row)."""
        entry = {
            "key": new_local_id(),
            "name": name.value,
            "args": dumps(args),
            "created_at": now_text(),
            "entity": entity,
            "entity_id": entity_id,
        }
        return tables.insert(conn, "outbox", entry)

    def pending(self, limit: int = 100) -> list[OutboxEntry]:
        rows = self.rows("outbox", "state = 'pending'", order_by="seq", limit=limit)
        return [_entry(r) for r in rows]

    def rejected(self) -> list[OutboxEntry]:
        return [_entry(r) for r in self.rows("outbox", "state = 'rejected'", order_by="seq")]

    def counts(self) -> dict[str, int]:
        with self.db.transaction() as conn:
            rows = conn.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall()
        found = {row[0]: int(row[1]) for row in rows}
        return {"pending": found.get("pending", 0), "rejected": found.get("rejected", 0)}

    def note_attempt(self, seqs: list[int]) -> None:
        with self.db.transaction() as conn:
            conn.executemany(
                "UPDATE outbox SET attempts = attempts + 1 WHERE seq = ?", [(s,) for s in seqs]
            )

    def mark_rejected(self, conn: sqlite3.Connection, seq: int, error: Rejection) -> None:
        conn.execute(
            "UPDATE outbox SET state = 'rejected', error = ? WHERE seq = ?",
            (dumps(error.model_dump(mode="json")), seq),
        )

    def remove(self, conn: sqlite3.Connection, seq: int) -> None:
        conn.execute("DELETE FROM outbox WHERE seq = ?", (seq,))

    def dismiss(self, seq: int) -> None:
        """The customer has seen a rejected change and lets it go."""
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM outbox WHERE seq = ? AND state = 'rejected'", (seq,))
