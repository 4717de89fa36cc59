"""Attachments: checked for size and real type, stored in the database, never executable."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from sqlalchemy import Connection, Row, func, insert, select, update

from app.backend.crud.rejections import MutationRejected
from app.backend.crud.rows import one_or_404
from app.backend.db.tables import attachments, cases, customers
from app.backend.problems import ProblemError
from app.backend.util import format_time, new_id, now
from app.schemas import Attachment
from app.schemas.files import (
    MAX_ATTACHMENTS,
    SIGNATURES,
    content_matches,
    size_text,
    type_for_filename,
)


def safe_filename(name: str) -> str:
    """The last path part, printable, at most 120 characters; never empty or hidden."""
    base = re.split(r"[\\/]", name)[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    base = base.strip(" .")[:120]
    return base or "attachment"


def store_attachment(
    conn: Connection,
    *,
    customer_id: str,
    filename: str,
    content_type: str,
    data: bytes,
    max_bytes: int,
    quota: int | None = None,
    client_ref: str | None = None,
) -> Attachment:
    """Check and keep a file. With `client_ref`, an upload the customer already made
    under that key is returned instead (a retry after a lost answer). With `quota`, the
    customer's files may take at most that many bytes together."""
    if client_ref is not None:
        earlier = attachment_by_ref(conn, customer_id=customer_id, client_ref=client_ref)
        if earlier is not None:
            return earlier
    content_type = content_type.split(";")[0].strip().lower()
    if content_type not in SIGNATURES:
        allowed = ", ".join(sorted(SIGNATURES))
        raise ProblemError(
            415,
            "Unsupported attachment type",
            f"Attach one of: {allowed}.",
            slug="unsupported-type",
        )
    if not data:
        raise ProblemError(422, "Empty attachment", "The file is empty.", slug="empty-file")
    if len(data) > max_bytes:
        raise ProblemError(
            413,
            "Attachment too large",
            f"Attachments are limited to {size_text(max_bytes)}.",
            slug="too-large",
        )
    if not content_matches(content_type, data):
        raise ProblemError(
            422,
            "Attachment content does not match its type",
            f"The file is not a valid {content_type}.",
            slug="type-mismatch",
        )
    if quota is not None:
        check_quota(conn, customer_id=customer_id, adding=len(data), quota=quota)
    attachment = Attachment(
        id=new_id("att"),
        filename=safe_filename(filename),
        content_type=content_type,
        size=len(data),
    )
    conn.execute(
        insert(attachments).values(
            **attachment.model_dump(),
            customer_id=customer_id,
            client_ref=client_ref,
            sha256=hashlib.sha256(data).hexdigest(),
            data=data,
            created_at=format_time(now()),
        )
    )
    return attachment


class IncomingFile(Protocol):
    """A file that came by another channel (a mail, a helpdesk reply)."""

    @property
    def filename(self) -> str: ...
    @property
    def content_type(self) -> str: ...
    @property
    def data(self) -> bytes: ...


def keep_incoming(
    files: Iterable[IncomingFile], store: Callable[[str, str, bytes], Attachment]
) -> tuple[list[str], list[str]]:
    """The ids of the files `store` kept (at most MAX_ATTACHMENTS; a generic type is read
    from the name), and a note for each one refused, naming it and why, so the thread
    says a file was sent and is not there."""
    ids: list[str] = []
    notes: list[str] = []
    for file in files:
        if len(ids) >= MAX_ATTACHMENTS:
            notes.append(f"Attachment {file.filename!r} not kept: at most {MAX_ATTACHMENTS}.")
            continue
        kind = file.content_type
        if kind == "application/octet-stream":
            kind = type_for_filename(file.filename) or kind
        try:  # every check comes before the file is written: a refusal writes nothing
            ids.append(store(file.filename, kind, file.data).id)
        except ProblemError as refused:
            notes.append(f"Attachment {file.filename!r} not kept: {refused}")
    return ids, notes


def store_agent_attachment(
    conn: Connection,
    *,
    case_id: str,
    filename: str,
    content_type: str,
    data: bytes,
    max_bytes: int,
) -> Attachment:
    """An agent's file for a case, checked as a customer's is. It is kept under the
    case's customer, so they (and nobody else) can fetch it once a reply carries it, and
    outside their quota (the company chose to send it); until then it is on no case."""
    customer_id = one_or_404(
        conn, select(cases.c.customer_id).where(cases.c.id == case_id), what="case"
    ).customer_id
    return store_attachment(
        conn,
        customer_id=customer_id,
        filename=filename,
        content_type=content_type,
        data=data,
        max_bytes=max_bytes,
    )


def stored_bytes(conn: Connection, *, customer_id: str) -> int:
    """How many bytes the customer's files take, attached to a case or not."""
    total = conn.execute(
        select(func.coalesce(func.sum(attachments.c.size), 0)).where(
            attachments.c.customer_id == customer_id
        )
    ).scalar_one()
    return int(total)


def check_quota(conn: Connection, *, customer_id: str, adding: int, quota: int) -> None:
    """Refuse a file that would take the customer's files over `quota` bytes."""
    # The customer's row lock makes two uploads at once count one after the other.
    conn.execute(select(customers.c.id).where(customers.c.id == customer_id).with_for_update())
    used = stored_bytes(conn, customer_id=customer_id)
    if used + adding > quota:
        raise ProblemError(
            413,
            "Storage quota reached",
            f"Your files take {size_text(used)} of the {size_text(quota)} you may keep, so "
            f"this one ({size_text(adding)}) does not fit. Uploads never attached to a "
            "case are removed after a while, which makes room.",
            slug="quota-exceeded",
        )


def claim_attachments(
    conn: Connection,
    *,
    customer_id: str,
    ids: Sequence[str],
    case_id: str,
    message_id: str | None,
    unused_only: bool = False,
) -> list[Attachment]:
    """Attach this customer's unused uploads to a case (or one of its messages). A file
    already on this case may be named again (a retried change), unless `unused_only`
    (an agent's reply: the thread's files stay where they are)."""
    if len(ids) > MAX_ATTACHMENTS:
        raise MutationRejected(
            "too_many_attachments", f"At most {MAX_ATTACHMENTS} files at a time."
        )
    claimed = []
    for attachment_id in dict.fromkeys(ids):
        row = conn.execute(
            select(attachments).where(
                attachments.c.id == attachment_id,
                attachments.c.customer_id == customer_id,
            )
        ).one_or_none()
        on_case = row is not None and row.case_id is not None
        if row is None or (on_case and (unused_only or row.case_id != case_id)):
            raise MutationRejected(
                "unknown_attachment", "An attached file was not found; upload it again."
            )
        conn.execute(
            update(attachments)
            .where(attachments.c.id == attachment_id)
            .values(case_id=case_id, message_id=message_id)
        )
        claimed.append(attachment_from_row(row))
    return claimed


def attachment_by_ref(conn: Connection, *, customer_id: str, client_ref: str) -> Attachment | None:
    row = conn.execute(
        select(attachments).where(
            attachments.c.customer_id == customer_id, attachments.c.client_ref == client_ref
        )
    ).first()
    return attachment_from_row(row) if row is not None else None


def attachment_from_row(row: Row[Any]) -> Attachment:
    return Attachment(
        id=row.id, filename=row.filename, content_type=row.content_type, size=row.size
    )


def case_attachments(conn: Connection, *, case_id: str) -> list[Any]:
    return list(
        conn.execute(
            select(
                attachments.c.id,
                attachments.c.filename,
                attachments.c.content_type,
                attachments.c.size,
                attachments.c.case_id,
                attachments.c.message_id,
            )
            .where(attachments.c.case_id == case_id)
            .order_by(attachments.c.created_at)
        ).all()
    )


def attachment_content(
    conn: Connection, *, attachment_id: str, customer_id: str | None
) -> tuple[Attachment, bytes]:
    """The file; a customer only gets their own (`customer_id=None` is the operator)."""
    query = select(attachments).where(attachments.c.id == attachment_id)
    if customer_id is not None:
        query = query.where(attachments.c.customer_id == customer_id)
    row = one_or_404(conn, query, what="attachment")
    return attachment_from_row(row), bytes(row.data)
