"""Support cases: one customer each, an append-only thread of messages. A change returns
(and the event log and idempotency record keep) only the header and the messages it added,
so what is kept grows with the thread, not its square; the feed and reads carry it whole."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select

from app.backend.channels.mail_store import mail_case, queue_reply
from app.backend.crud.attachments import attachment_from_row, case_attachments, claim_attachments
from app.backend.crud.changes import record_change
from app.backend.crud.rejections import MutationRejected
from app.backend.crud.rows import next_version, one_or_404, own_row
from app.backend.db import next_counter
from app.backend.db.tables import case_messages, cases, incidents
from app.backend.util import format_time, new_id, now
from app.schemas import Case, CaseMessage, CaseStatus, MessageAuthor
from app.schemas.cases import Channel, status_after_customer_reply, takes_replies

CASE_NUMBER_BASE = 100_000


def _own_case(conn: Connection, customer_id: str, ref: str) -> Row[Any]:
    """Locked (PostgreSQL), so a reply cannot race a close."""
    return own_row(
        conn, cases, customer_id=customer_id, ref=ref, missing="That case does not exist."
    )


def open_case(
    conn: Connection,
    *,
    customer_id: str,
    subject: str,
    description: str,
    category: str,
    attachment_ids: Sequence[str] = (),
    incident_id: str | None = None,
    booking_ref: str | None = None,
    client_ref: str | None = None,
    channel: Channel = Channel.app,
) -> Case:
    if (
        incident_id is not None
        and conn.execute(select(incidents.c.id).where(incidents.c.id == incident_id)).first()
        is None
    ):
        incident_id = None  # The incident may have been removed; the case still stands.
    case_id = new_id("case")
    stamp = format_time(now())
    conn.execute(
        insert(cases).values(
            id=case_id,
            number=CASE_NUMBER_BASE + next_counter(conn, "case_number"),
            customer_id=customer_id,
            subject=subject.strip(),
            description=description.strip(),
            category=category,
            status=CaseStatus.new.value,
            channel=channel.value,
            incident_id=incident_id,
            booking_ref=booking_ref,
            client_ref=client_ref,
            version=1,
            created_at=stamp,
            updated_at=stamp,
        )
    )
    claim_attachments(
        conn, customer_id=customer_id, ids=attachment_ids, case_id=case_id, message_id=None
    )
    return publish_case(conn, case_id, added=None)


def customer_reply(
    conn: Connection,
    *,
    customer_id: str,
    case_ref: str,
    body: str,
    attachment_ids: Sequence[str] = (),
    client_ref: str | None = None,
    max_messages: int | None = None,
    channel: Channel = Channel.app,
) -> Case:
    """The customer's reply; refused on a closed case, and on one holding `max_messages`."""
    row = _own_case(conn, customer_id, case_ref)
    if not takes_replies(row.status):
        raise MutationRejected(
            "case_closed",
            f"Case {row.number} is closed. Open a new case and mention this one.",
            [{"case_id": row.id, "number": row.number}],
        )
    _check_room(conn, row, max_messages)
    message_id = _append(
        conn, row.id, MessageAuthor.customer, None, body, client_ref, channel=channel
    )
    claim_attachments(
        conn, customer_id=customer_id, ids=attachment_ids, case_id=row.id, message_id=message_id
    )
    return _touch(conn, row.id, status_after_customer_reply(row.status), added=[message_id])


def close_case(conn: Connection, *, customer_id: str, case_ref: str) -> Case:
    row = _own_case(conn, customer_id, case_ref)
    if row.status == CaseStatus.closed.value:
        return _change(get_case(conn, case_id=row.id), ())
    return _touch(conn, row.id, CaseStatus.closed)


def _check_room(conn: Connection, row: Row[Any], max_messages: int | None) -> None:
    """Refuse another message on a case that holds `max_messages` (None: no cap)."""
    count = select(func.count()).where(case_messages.c.case_id == row.id)
    if max_messages is not None and conn.execute(count).scalar_one() >= max_messages:
        raise MutationRejected(
            "case_full",
            f"Case {row.number} has reached {max_messages} messages; "
            "please open a new case and mention this one.",
            [{"case_id": row.id, "number": row.number}],
        )


def agent_reply(
    conn: Connection,
    *,
    case_id: str,
    body: str,
    author_name: str | None = None,
    status: CaseStatus | None = CaseStatus.pending,
    max_messages: int | None = None,
    attachment_ids: Sequence[str] = (),
    channel: Channel = Channel.app,
) -> Case:
    """An agent's message (by default the case then waits on the customer: pending), with
    files uploaded for this case (`store_agent_attachment`). No `author_name`: the
    support team's reply, which the app names in the customer's language."""
    row = one_or_404(
        conn, select(cases).where(cases.c.id == case_id).with_for_update(), what="case"
    )
    _check_room(conn, row, max_messages)
    # The reply and the case's change share one time: that is how the push dispatcher
    # tells the change that added a reply from a later one.
    stamp = format_time(now())
    message_id = _append(
        conn, case_id, MessageAuthor.agent, author_name, body, None, at=stamp, channel=channel
    )
    claim_attachments(
        conn,
        customer_id=row.customer_id,
        ids=attachment_ids,
        case_id=case_id,
        message_id=message_id,
        unused_only=True,
    )
    # Sent by the mail outbox after this transaction commits, when the case takes
    # replies by email.
    queue_reply(conn, case_id=case_id, case_message_id=message_id)
    return _touch(conn, case_id, status or CaseStatus(row.status), at=stamp, added=[message_id])


def set_case_status(conn: Connection, *, case_id: str, status: CaseStatus) -> Case:
    one_or_404(conn, select(cases.c.id).where(cases.c.id == case_id).with_for_update(), what="case")
    return _touch(conn, case_id, status)


def _append(
    conn: Connection,
    case_id: str,
    author: MessageAuthor,
    author_name: str | None,
    body: str,
    client_ref: str | None,
    *,
    at: str | None = None,
    channel: Channel = Channel.app,
) -> str:
    message_id = new_id("msg")
    conn.execute(
        insert(case_messages).values(
            id=message_id,
            case_id=case_id,
            author=author.value,
            author_name=author_name,
            body=body.strip(),
            client_ref=client_ref,
            channel=channel.value,
            created_at=at or format_time(now()),
        )
    )
    return message_id


def _touch(
    conn: Connection,
    case_id: str,
    status: CaseStatus,
    *,
    at: str | None = None,
    added: Collection[str] = (),
) -> Case:
    next_version(conn, cases, row_id=case_id, values={"status": status.value}, at=at)
    return publish_case(conn, case_id, added=added)


def publish_case(conn: Connection, case_id: str, *, added: Collection[str] | None) -> Case:
    """Record the case's new state: whole in the sync feed; in the event log (and returned)
    its header with the messages `added` (everything when None: a new case)."""
    row = conn.execute(select(cases).where(cases.c.id == case_id)).one()
    case = _case_from_row(conn, row)
    change = case if added is None else _change(case, added)
    record_change(
        conn,
        entity="case",
        entity_id=case_id,
        version=row.version,
        data=case.model_dump(mode="json"),
        customer_id=row.customer_id,
        event_data=None if added is None else change.model_dump(mode="json"),
    )
    return change


def _change(case: Case, added: Collection[str]) -> Case:
    """The case's header with only the messages `added`, marked as a partial thread."""
    messages = [m for m in case.messages if m.id in added]
    return case.model_copy(update={"messages": messages, "messages_complete": False})


def message_from_row(row: Row[Any], files: Sequence[Any]) -> CaseMessage:
    """A stored message, with those of `files` (attachment rows) that belong to it."""
    return CaseMessage(
        id=row.id,
        case_id=row.case_id,
        author=row.author,
        author_name=row.author_name,
        body=row.body,
        client_ref=row.client_ref,
        channel=row.channel,
        created_at=row.created_at,
        attachments=[attachment_from_row(f) for f in files if f.message_id == row.id],
    )


def case_from_row(
    row: Row[Any],
    files: Sequence[Any],
    messages: list[CaseMessage],
    *,
    complete: bool = True,
    email_replies: bool = False,
) -> Case:
    """A stored case with `messages` (the whole thread, or not: `complete`) and the files
    of `files` attached to the case itself rather than to a message."""
    return Case(
        id=row.id,
        number=row.number,
        subject=row.subject,
        description=row.description,
        category=row.category,
        status=row.status,
        channel=row.channel,
        incident_id=row.incident_id,
        booking_ref=row.booking_ref,
        client_ref=row.client_ref,
        messages=messages,
        messages_complete=complete,
        email_replies=email_replies,
        attachments=[
            attachment_from_row(f) for f in files if f.case_id == row.id and f.message_id is None
        ],
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _case_from_row(conn: Connection, row: Row[Any]) -> Case:
    files = case_attachments(conn, case_id=row.id)
    messages = [
        message_from_row(m, files)
        for m in conn.execute(
            select(case_messages)
            .where(case_messages.c.case_id == row.id)
            .order_by(case_messages.c.created_at, case_messages.c.id)
        )
    ]
    mail = mail_case(conn, row.id)
    return case_from_row(
        row, files, messages, email_replies=mail is not None and mail.replies_by_email
    )


def get_case(conn: Connection, *, case_id: str, customer_id: str | None = None) -> Case:
    query = select(cases).where((cases.c.id == case_id) | (cases.c.number == _number(case_id)))
    if customer_id is not None:
        query = query.where(cases.c.customer_id == customer_id)
    return _case_from_row(conn, one_or_404(conn, query, what="case"))


def _number(ref: str) -> int:
    return int(ref) if ref.isascii() and ref.isdigit() and len(ref) < 15 else -1


def list_cases(
    conn: Connection,
    *,
    customer_id: str | None = None,
    status: CaseStatus | None = None,
    before: int | None = None,
    limit: int = 50,
) -> tuple[list[Case], int | None]:
    """Cases newest first; returns the page and the `before` of the next one."""
    query = select(cases).order_by(cases.c.number.desc())
    if customer_id is not None:
        query = query.where(cases.c.customer_id == customer_id)
    if status is not None:
        query = query.where(cases.c.status == status.value)
    if before is not None:
        query = query.where(cases.c.number < before)
    rows = conn.execute(query.limit(limit + 1)).all()
    page = [_case_from_row(conn, r) for r in rows[:limit]]
    return page, (page[-1].number if len(rows) > limit else None)


def resolve_own_case(conn: Connection, *, customer_id: str, case_ref: str) -> str:
    """The server id of this customer's case named by id or client ref."""
    return str(_own_case(conn, customer_id, case_ref).id)
