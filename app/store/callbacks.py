"""The customer's callbacks: requested, cancelled and moved locally at once, delivered by
the outbox; a refusal restores what the hub last said and keeps the reason."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from app.schemas import Callback, CallbackMode, MutationName, Rejection
from app.schemas.callbacks import initial_status
from app.schemas.common import as_multi_line, format_time
from app.schemas.mutations import CallbackRequestArgs
from app.store import tables
from app.store.base import Repo, dumps, loads, new_local_id, now_text, rejection_from
from app.store.database import Database
from app.store.outbox import Outbox
from app.store.records import CallbackRecord
from app.store.tables import Row


class Callbacks(Repo):
    def __init__(self, db: Database, *, outbox: Outbox) -> None:
        super().__init__(db)
        self.outbox = outbox

    def request(
        self,
        *,
        queue_id: str,
        mode: CallbackMode,
        phone: str,
        slot_start: datetime | None = None,
        note: str | None = None,
        case: str | None = None,
        booking_ref: str | None = None,
        language: str | None = None,
    ) -> str:
        """Request a callback locally and queue it; returns its local id. Arguments the
        hub would refuse raise pydantic's ValidationError and nothing is written."""
        local_id = new_local_id()
        start = format_time(slot_start) if slot_start else None
        note = as_multi_line(note) if note else note
        args = {
            "client_ref": local_id,
            "queue": queue_id,
            "mode": mode.value,
            "phone": phone,
            "slot_start": start,
            "note": note,
            "case": case,
            "booking_ref": booking_ref,
            "language": language,
        }
        CallbackRequestArgs.model_validate(args)
        stamp = now_text()
        status = initial_status(mode).value
        draft = {
            "id": local_id,
            "queue_id": queue_id,
            "mode": mode.value,
            "status": status,
            "phone": phone,
            "slot_start": start,
            "note": note,
            "booking_ref": booking_ref,
            "language": language,
            "client_ref": local_id,
            "created_at": stamp,
            "updated_at": stamp,
        }
        with self.db.transaction() as conn:
            row = {
                "local_id": local_id,
                "queue_id": queue_id,
                "status": status,
                "slot_start": start,
                "sync_state": "pending",
                "updated_at": stamp,
                "data": dumps(draft),
            }
            tables.insert(conn, "callbacks", row)
            self.outbox.add(
                conn, MutationName.callback_request, args, entity="callback", entity_id=local_id
            )
        return local_id

    def request_again(self, local_id: str, slot_start: datetime) -> str:
        """Ask again, for `slot_start`, for a request the hub refused: the new request and
        the old one's end in one transaction. Returns the new request's local id."""
        found = self.get(local_id)
        if found is None:
            raise KeyError(local_id)
        with self.db.transaction():
            made = self.request(
                queue_id=found.queue_id,
                mode=CallbackMode.slot,
                phone=found.phone,
                slot_start=slot_start,
                note=found.note,
            )
            self.discard(local_id)
        return made

    def cancel(self, local_id: str) -> None:
        self._change(local_id, MutationName.callback_cancel, status="cancelled", slot=None)

    def reschedule(self, local_id: str, slot_start: datetime) -> None:
        self._change(
            local_id,
            MutationName.callback_reschedule,
            status="scheduled",
            slot=format_time(slot_start),
        )

    def _change(self, local_id: str, name: MutationName, *, status: str, slot: str | None) -> None:
        with self.db.transaction() as conn:
            row = tables.held(conn, "callbacks", local_id)
            args: dict[str, str | None] = {"callback": row["server_id"] or local_id}
            if name is MutationName.callback_reschedule:
                args["slot_start"] = slot
            conn.execute(
                "UPDATE callbacks SET status = ?, slot_start = ?, "
                "sync_state = 'pending', error = NULL WHERE local_id = ?",
                (status, slot if slot is not None else row["slot_start"], local_id),
            )
            # A new change supersedes a refused one: its refusal has been seen and answered.
            conn.execute(
                "DELETE FROM outbox WHERE entity_id = ? AND state = 'rejected'", (local_id,)
            )
            self.outbox.add(conn, name, args, entity="callback", entity_id=local_id)

    def discard(self, local_id: str) -> None:
        """Forget a request the hub refused (it never existed there) and its refusal."""
        with self.db.transaction() as conn:
            conn.execute(
                "DELETE FROM callbacks WHERE local_id = ? AND server_id IS NULL", (local_id,)
            )
            conn.execute(
                "DELETE FROM outbox WHERE entity_id = ? AND state = 'rejected'", (local_id,)
            )

    def apply_server(self, conn: sqlite3.Connection, callback: Callback) -> None:
        ref = callback.client_ref or callback.id
        row = conn.execute(
            "SELECT local_id FROM callbacks WHERE server_id = ? OR local_id = ?", (callback.id, ref)
        ).fetchone()
        local_id = row["local_id"] if row else ref
        waiting = conn.execute(
            "SELECT 1 FROM outbox WHERE state = 'pending' AND entity_id = ?", (local_id,)
        ).fetchone()
        data = callback.model_dump(mode="json")
        conn.execute(
            "INSERT INTO callbacks (local_id, server_id, queue_id, status, slot_start, "
            "sync_state, updated_at, data) VALUES (?, ?, ?, ?, ?, 'synced', ?, ?) "
            "ON CONFLICT (local_id) DO UPDATE SET server_id = excluded.server_id, "
            "data = excluded.data, updated_at = excluded.updated_at",
            (
                local_id,
                callback.id,
                callback.queue_id,
                callback.status.value,
                data["slot_start"],
                data["updated_at"],
                dumps(data),
            ),
        )
        if not waiting:
            # Nothing of the customer's is still on its way: show the hub's state.
            conn.execute(
                "UPDATE callbacks SET status = ?, slot_start = ?, sync_state = "
                "'synced', error = NULL WHERE local_id = ?",
                (callback.status.value, data["slot_start"], local_id),
            )

    def reject(self, conn: sqlite3.Connection, local_id: str, error: Rejection) -> None:
        row = tables.get(conn, "callbacks", local_id)
        if row is None:
            return
        last = loads(row["data"])
        state = "rejected" if row["server_id"] is None else "synced"
        status = "rejected" if row["server_id"] is None else last["status"]
        conn.execute(
            "UPDATE callbacks SET status = ?, slot_start = ?, sync_state = ?, "
            "error = ? WHERE local_id = ?",
            (status, last["slot_start"], state, error.model_dump_json(), local_id),
        )

    def list(self) -> list[CallbackRecord]:
        rows = self.rows("callbacks", order_by="coalesce(slot_start, updated_at) DESC")
        return [_view(r) for r in rows]

    def get(self, callback_id: str) -> CallbackRecord | None:
        where = "local_id = ? OR server_id = ?"
        found = self.rows("callbacks", where, (callback_id, callback_id), limit=1)
        return _view(found[0]) if found else None


def _view(row: Row) -> CallbackRecord:
    data = loads(row["data"])
    return CallbackRecord(
        local_id=row["local_id"],
        server_id=row["server_id"],
        queue_id=row["queue_id"],
        mode=CallbackMode(data["mode"]),
        status=row["status"],
        phone=data["phone"],
        slot_start=row["slot_start"],
        note=data.get("note"),
        sync_state=row["sync_state"],
        error=rejection_from(row["error"]),
        booking_ref=data.get("booking_ref"),
        language=data.get("language"),
    )
