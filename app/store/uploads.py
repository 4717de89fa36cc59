"""Files a customer attached while composing a case or a reply. They are kept here with
the change that refers to them (as `upload:<id>`), and sent to the hub just before it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from app.schemas import Attachment, Rejection
from app.schemas.files import MAX_ATTACHMENT_BYTES, content_matches, size_text, type_for_filename
from app.store import tables
from app.store.base import Repo, dumps, new_local_id, now_text

PREFIX = "upload:"


class AttachmentError(ValueError):
    """A file the hub would refuse; `code` names why (unsupported_type, empty, too_large,
    type_mismatch)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


@dataclass(frozen=True)
class NewFile:
    """A file the customer picked, checked as the hub will check it."""

    filename: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    @classmethod
    def checked(cls, filename: str, data: bytes, max_bytes: int = MAX_ATTACHMENT_BYTES) -> NewFile:
        content_type = type_for_filename(filename)
        if content_type is None:
            raise AttachmentError(
                "unsupported_type", f"{filename}: this type of file can't be sent."
            )
        if not data:
            raise AttachmentError("empty", f"{filename} is empty.")
        if len(data) > max_bytes:
            raise AttachmentError("too_large", f"{filename} is larger than {size_text(max_bytes)}.")
        if not content_matches(content_type, data):
            raise AttachmentError("type_mismatch", f"{filename} is not a valid {content_type}.")
        return cls(filename, content_type, data)


@dataclass(frozen=True)
class StagedUpload:
    local_id: str
    filename: str
    content_type: str
    server_id: str | None
    error: str | None


def is_staged(ref: str) -> bool:
    return ref.startswith(PREFIX)


class Uploads(Repo):
    def stage(self, conn: sqlite3.Connection, files: list[NewFile]) -> list[str]:
        """Keep files inside the caller's transaction; returns their refs for the args."""
        refs = []
        for file in files:
            local_id = new_local_id()
            staged = {
                "local_id": local_id,
                "filename": file.filename,
                "content_type": file.content_type,
                "size": file.size,
                "data": file.data,
                "created_at": now_text(),
            }
            tables.insert(conn, "uploads", staged)
            refs.append(PREFIX + local_id)
        return refs

    def ask_again(self, conn: sqlite3.Connection, refs: list[str]) -> None:
        """Forget the hub's refusal of these files, so the next sync offers them again
        (a retry may meet a hub whose limits have changed)."""
        ids = [ref.removeprefix(PREFIX) for ref in refs if is_staged(ref)]
        conn.executemany("UPDATE uploads SET error = NULL WHERE local_id = ?", [(i,) for i in ids])

    def describe(self, conn: sqlite3.Connection, refs: list[str]) -> list[dict[str, Any]]:
        """Name, type and size of staged files, as the hub describes attachments."""
        ids = [ref.removeprefix(PREFIX) for ref in refs if is_staged(ref)]
        rows = {
            row["local_id"]: row
            for row in conn.execute(
                f"SELECT local_id, filename, content_type, size FROM uploads "
                f"WHERE local_id IN ({', '.join('?' for _ in ids)})",
                ids,
            )
        }
        return [
            {
                "id": PREFIX + i,
                "filename": rows[i]["filename"],
                "content_type": rows[i]["content_type"],
                "size": rows[i]["size"],
            }
            for i in ids
            if i in rows
        ]

    def waiting(self, refs: list[str]) -> list[StagedUpload]:
        """The staged files among `refs` that the hub does not have yet."""
        ids = [ref.removeprefix(PREFIX) for ref in refs if is_staged(ref)]
        with self.db.transaction() as conn:
            rows = conn.execute(
                f"SELECT local_id, filename, content_type, server_id, error FROM uploads "
                f"WHERE server_id IS NULL AND local_id IN ({', '.join('?' for _ in ids)})",
                ids,
            ).fetchall()
        return [
            StagedUpload(r["local_id"], r["filename"], r["content_type"], None, r["error"])
            for r in rows
        ]

    def data(self, local_id: str) -> bytes:
        with self.db.transaction() as conn:
            row = tables.get(conn, "uploads", local_id)
        return bytes(row["data"]) if row and row["data"] is not None else b""

    def local_copy(self, ref: str) -> tuple[bytes | None, str | None]:
        """A staged file's bytes while the hub does not have it, and the hub's id once it
        has (the bytes are freed then); (None, None) for a ref this device never staged."""
        if not is_staged(ref):
            return None, None
        with self.db.transaction() as conn:
            row = tables.get(conn, "uploads", ref.removeprefix(PREFIX))
        if row is None:
            return None, None
        data = bytes(row["data"]) if row["data"] is not None else None
        return data, row["server_id"]

    def uploaded(self, local_id: str, attachment: Attachment) -> None:
        """The hub has the file: remember its id and free the bytes."""
        with self.db.transaction() as conn:
            conn.execute(
                "UPDATE uploads SET server_id = ?, data = NULL, error = NULL WHERE local_id = ?",
                (attachment.id, local_id),
            )

    def refused(self, local_id: str, error: Rejection) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "UPDATE uploads SET error = ? WHERE local_id = ?",
                (dumps(error.model_dump(mode="json")), local_id),
            )

    def resolve(self, args: dict[str, Any]) -> dict[str, Any]:
        """`args` with staged refs replaced by the hub's attachment ids (all uploaded)."""
        refs = args.get("attachments") or []
        if not any(is_staged(ref) for ref in refs):
            return args
        with self.db.transaction() as conn:
            ids = dict(
                conn.execute(
                    "SELECT ? || local_id, server_id FROM uploads WHERE server_id IS NOT NULL",
                    (PREFIX,),
                ).fetchall()
            )
        return {**args, "attachments": [ids.get(ref, ref) for ref in refs]}
