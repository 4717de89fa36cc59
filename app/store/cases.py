"""The customer's cases: opened and answered locally at once, delivered by the outbox.

A case is known by its local id (sent to the hub as `client_ref`) until the hub gives it a
server id; a reply made offline stays in `case_messages` until the hub's thread has it."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from app.schemas import Case, MessageAuthor, MutationName, Rejection
from app.schemas.cases import status_after_customer_reply, takes_replies
from app.schemas.common import as_multi_line, as_one_line
from app.schemas.mutations import CaseOpenArgs, CaseReplyArgs
from app.store import tables
from app.store.base import Repo, dumps, loads, new_local_id, now_text, rejection_from
from app.store.database import Database
from app.store.outbox import Outbox
from app.store.records import CaseRecord, MessageRecord
from app.store.tables import Row
from app.store.uploads import NewFile, Uploads


class Cases(Repo):
    def __init__(self, db: Database, *, outbox: Outbox, uploads: Uploads) -> None:
        super().__init__(db)
        self.outbox = outbox
        self.uploads = uploads

    def open(
        self,
        *,
        subject: str,
        description: str,
        category: str,
        files: Sequence[NewFile] = (),
        incident_id: str | None = None,
        booking_ref: str | None = None,
    ) -> str:
        """Open a case locally and queue it, with its files; returns its local id.
        Arguments the hub would refuse (empty, too long) raise pydantic's ValidationError
        and nothing is written."""
        local_id = new_local_id()
        args = {
            "client_ref": local_id,
            "subject": as_one_line(subject).strip(),
            "description": as_multi_line(description).strip(),
            "category": category,
            "attachments": [f"upload:{n}" for n in range(len(files))],
            "incident_id": incident_id,
            "booking_ref": booking_ref,
        }
        CaseOpenArgs.model_validate(args)
        stamp = now_text()
        draft = {
            "id": local_id,
            "number": 0,
            "subject": args["subject"],
            "description": args["description"],
            "category": category,
            "status": "new",
            "incident_id": incident_id,
            "booking_ref": booking_ref,
            "client_ref": local_id,
            "messages": [],
            "created_at": stamp,
            "updated_at": stamp,
        }
        with self.db.transaction() as conn:
            refs = self.uploads.stage(conn, list(files))
            args["attachments"] = refs
            draft["attachments"] = self.uploads.describe(conn, refs)
            row = {
                "local_id": local_id,
                "subject": args["subject"],
                "status": "new",
                "updated_at": stamp,
                "sync_state": "pending",
                "data": dumps(draft),
            }
            tables.insert(conn, "cases", row)
            self.outbox.add(conn, MutationName.case_open, args, entity="case", entity_id=local_id)
        return local_id

    def reply(
        self,
        case_local_id: str,
        body: str,
        files: Sequence[NewFile] = (),
        *,
        message_id: str | None = None,
    ) -> str:
        """Add a reply with its files (or send a failed one again, edited or not, with
        `message_id`: it keeps its files); returns its id. A reply the hub would refuse
        raises pydantic's ValidationError and nothing is written."""
        message_id = message_id or new_local_id()
        body = as_multi_line(body)
        CaseReplyArgs.model_validate(
            {"case": case_local_id, "body": body.strip(), "attachments": ["x"] * len(files)}
        )
        with self.db.transaction() as conn:
            row = tables.held(conn, "cases", case_local_id)
            # Shown reopened at once; the hub's answer confirms it (or refuses the reply
            # to a case closed meanwhile, which stays closed).
            if takes_replies(row["status"]):
                conn.execute(
                    "UPDATE cases SET status = ? WHERE local_id = ?",
                    (status_after_customer_reply(row["status"]).value, case_local_id),
                )
            earlier = tables.get(conn, "case_messages", message_id)
            if files or earlier is None:
                attachments = self.uploads.stage(conn, list(files))
            else:
                attachments = loads(earlier["attachments"])
                self.uploads.ask_again(conn, attachments)
            conn.execute(
                "INSERT INTO case_messages (local_id, case_local_id, body, attachments, "
                "sync_state, created_at) VALUES (?, ?, ?, ?, 'queued', ?) "
                "ON CONFLICT (local_id) DO UPDATE SET body = excluded.body, "
                "attachments = excluded.attachments, sync_state = 'queued', error = NULL",
                (message_id, case_local_id, body.strip(), dumps(attachments), now_text()),
            )
            args = {
                "case": row["server_id"] or case_local_id,
                "body": body.strip(),
                "attachments": attachments,
                "client_ref": message_id,
            }
            # Sending a refused reply again replaces its refused outbox entry.
            conn.execute(
                "DELETE FROM outbox WHERE entity_id = ? AND state = 'rejected'", (message_id,)
            )
            self.outbox.add(
                conn, MutationName.case_reply, args, entity="message", entity_id=message_id
            )
        return message_id

    def close(self, case_local_id: str) -> None:
        with self.db.transaction() as conn:
            row = tables.held(conn, "cases", case_local_id)
            conn.execute("UPDATE cases SET status = 'closed' WHERE local_id = ?", (case_local_id,))
            self.outbox.add(
                conn,
                MutationName.case_close,
                {"case": row["server_id"] or case_local_id},
                entity="case",
                entity_id=case_local_id,
            )

    def set_email_replies(self, case_local_id: str, on: bool) -> None:
        """Have agents' replies mailed too (or not): shown at once, sent with the outbox."""
        with self.db.transaction() as conn:
            row = tables.held(conn, "cases", case_local_id)
            data = {**loads(row["data"]), "email_replies": on}
            conn.execute(
                "UPDATE cases SET data = ? WHERE local_id = ?", (dumps(data), case_local_id)
            )
            self.outbox.add(
                conn,
                MutationName.case_email_replies,
                {"case": row["server_id"] or case_local_id, "on": on},
                entity="case",
                entity_id=case_local_id,
            )

    def mark_read(self, case_local_id: str) -> None:
        with self.db.transaction() as conn:
            row = tables.get(conn, "cases", case_local_id)
            if row is not None:
                conn.execute(
                    "UPDATE cases SET seen_messages = ? WHERE local_id = ?",
                    (_agent_messages(loads(row["data"])), case_local_id),
                )

    def apply_server(self, conn: sqlite3.Connection, case: Case) -> bool:
        """The hub's version of a case (server wins), a partial thread added to the held
        one; local copies of replies it holds go. False: no synced thread to add to."""
        ref = case.client_ref or case.id
        row = conn.execute(
            "SELECT local_id, server_id, data FROM cases WHERE server_id = ? OR local_id = ?",
            (case.id, ref),
        ).fetchone()
        local_id = row["local_id"] if row else ref
        data = case.model_dump(mode="json", exclude={"messages_complete"})
        whole = case.messages_complete or (row is not None and row["server_id"] is not None)
        if not case.messages_complete and row is not None:
            data["messages"] = _merged(loads(row["data"])["messages"], data["messages"])
        closing = conn.execute(
            "SELECT 1 FROM outbox WHERE state = 'pending' AND name = 'case.close' "
            "AND entity_id = ?",
            (local_id,),
        ).fetchone()
        # A close still on its way keeps showing; the hub's answer will confirm it.
        status = "closed" if closing else case.status.value
        synced = {
            "local_id": local_id,
            "server_id": case.id,
            "number": case.number,
            "subject": case.subject,
            "status": status,
            "updated_at": data["updated_at"],
            "sync_state": "synced",
            "error": None,
            "data": dumps(data),
        }
        tables.upsert(conn, "cases", synced, pk="local_id")  # keeps `seen_messages`
        delivered = [m.client_ref for m in case.messages if m.client_ref]
        conn.executemany(
            "DELETE FROM case_messages WHERE local_id = ?", [(ref,) for ref in delivered]
        )
        return whole

    def reject(
        self, conn: sqlite3.Connection, entity: str, entity_id: str, error: Rejection
    ) -> None:
        if entity == "message":
            conn.execute(
                "UPDATE case_messages SET sync_state = 'failed', error = ? WHERE local_id = ?",
                (error.model_dump_json(), entity_id),
            )
            return
        row = tables.get(conn, "cases", entity_id)
        if row is None:
            return
        # A refused open leaves the draft marked; a refused close restores the hub's status.
        status = loads(row["data"])["status"]
        state = "rejected" if row["server_id"] is None else "synced"
        conn.execute(
            "UPDATE cases SET sync_state = ?, error = ?, status = ? WHERE local_id = ?",
            (state, error.model_dump_json(), status, entity_id),
        )

    def list(self) -> list[CaseRecord]:
        with self.db.transaction() as conn:
            rows = tables.rows(conn, "cases", order_by="updated_at DESC")
            return [self._view(conn, r) for r in rows]

    def get(self, case_id: str) -> CaseRecord | None:
        """By local id, server id or case number."""
        number = int(case_id) if case_id.isascii() and case_id.isdigit() else -1
        with self.db.transaction() as conn:
            found = tables.rows(
                conn,
                "cases",
                "local_id = ? OR server_id = ? OR number = ?",
                (case_id, case_id, number),
                limit=1,
            )
            return self._view(conn, found[0]) if found else None

    def _view(self, conn: sqlite3.Connection, row: Row) -> CaseRecord:
        data = loads(row["data"])
        messages = [
            MessageRecord(
                id=m["id"],
                author=MessageAuthor(m["author"]),
                author_name=m.get("author_name"),
                body=m["body"],
                created_at=m["created_at"],
                state="sent",
                attachments=m.get("attachments", []),
                channel=m.get("channel", "app"),
            )
            for m in data["messages"]
        ]
        # SQL: run for every case listed (sqlite-utils would look the table up each time).
        for m in conn.execute(
            "SELECT * FROM case_messages WHERE case_local_id = ? ORDER BY created_at",
            (row["local_id"],),
        ):
            messages.append(
                MessageRecord(
                    id=m["local_id"],
                    author=MessageAuthor.customer,
                    author_name=None,
                    body=m["body"],
                    created_at=m["created_at"],
                    state=m["sync_state"],
                    error=rejection_from(m["error"]),
                    attachments=self.uploads.describe(conn, loads(m["attachments"])),
                )
            )
        return CaseRecord(
            local_id=row["local_id"],
            server_id=row["server_id"],
            number=row["number"],
            subject=row["subject"],
            description=data["description"],
            category=data["category"],
            status=row["status"],
            incident_id=data.get("incident_id"),
            sync_state=row["sync_state"],
            error=rejection_from(row["error"]),
            messages=messages,
            unread=max(0, _agent_messages(data) - row["seen_messages"]),
            updated_at=row["updated_at"],
            attachments=data.get("attachments", []),
            email_replies=bool(data.get("email_replies", False)),
            channel=data.get("channel", "app"),  # a case kept before the hub sent it
        )


def _merged(held: list[dict[str, Any]], added: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The held thread and the messages it lacks (sent ones never change), oldest first."""
    known = {m["id"] for m in held}
    merged = held + [m for m in added if m["id"] not in known]
    return sorted(merged, key=lambda m: (m["created_at"], m["id"]))


def _agent_messages(data: dict[str, Any]) -> int:
    return sum(1 for m in data["messages"] if m["author"] == "agent")
