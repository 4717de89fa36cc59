"""What the hub tells the helpdesk, read from the case as it is stored: the ticket for a
case (with the customer as requester) and the comment for a customer's message."""

from __future__ import annotations

from sqlalchemy import Connection, select

from app.backend.channels.connector import Attachment, CommentDraft, TicketDraft, TicketStatus
from app.backend.db.tables import attachments, case_messages, cases, customers
from app.schemas import CaseStatus


def _files(conn: Connection, case_id: str, message_id: str | None) -> tuple[Attachment, ...]:
    owner = (
        attachments.c.message_id.is_(None)
        if message_id is None
        else attachments.c.message_id == message_id
    )
    rows = conn.execute(
        select(attachments.c.filename, attachments.c.content_type, attachments.c.data)
        .where(attachments.c.case_id == case_id, owner)
        .order_by(attachments.c.created_at, attachments.c.id)
    )
    return tuple(Attachment(r.filename, r.content_type, bytes(r.data)) for r in rows)


def ticket_draft(conn: Connection, case_id: str) -> TicketDraft:
    row = conn.execute(
        select(cases, customers.c.email, customers.c.name.label("customer_name"))
        .join(customers, customers.c.id == cases.c.customer_id)
        .where(cases.c.id == case_id)
    ).one()
    return TicketDraft(
        case_id=case_id,
        requester_email=row.email,
        requester_name=row.customer_name,
        subject=row.subject,
        description=row.description,
        category=row.category,
        attachments=_files(conn, case_id, None),
    )


def comment_draft(conn: Connection, case_id: str, message_id: str) -> CommentDraft:
    row = conn.execute(
        select(case_messages.c.body, customers.c.email)
        .join(cases, cases.c.id == case_messages.c.case_id)
        .join(customers, customers.c.id == cases.c.customer_id)
        .where(case_messages.c.id == message_id, case_messages.c.case_id == case_id)
    ).one()
    return CommentDraft(
        case_id=case_id,
        message_id=message_id,
        body=row.body,
        author_email=row.email,
        attachments=_files(conn, case_id, message_id),
    )


def ticket_status(conn: Connection, case_id: str) -> TicketStatus:
    """The case's status as the helpdesk knows statuses: solved or closed is solved."""
    status = conn.execute(select(cases.c.status).where(cases.c.id == case_id)).scalar_one()
    done = (CaseStatus.solved.value, CaseStatus.closed.value)
    return TicketStatus.solved if status in done else TicketStatus.open
