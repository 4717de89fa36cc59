"""What the helpdesk's agents did, applied to the case: a public reply becomes the agent's
message (through `cases.agent_reply`, so it is live to the app and pushed like any other
reply), solved or closed solves the case. Each helpdesk comment is recorded with the
message it became, so a replayed webhook or a reconciliation pass adds nothing twice."""

from __future__ import annotations

import logging

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from app.backend.channels.connector import (
    ExternalChange,
    ExternalReply,
    ExternalStatus,
    TicketStatus,
)
from app.backend.crud import cases
from app.backend.crud.attachments import keep_incoming, store_agent_attachment
from app.backend.crud.rejections import MutationRejected
from app.backend.db.tables import cases as cases_table
from app.backend.db.tables import channel_comments, channel_tickets
from app.backend.problems import ProblemError
from app.backend.util import format_time, now
from app.schemas import Attachment, CaseStatus
from app.schemas.cases import Channel

log = logging.getLogger("careline.channels")


def case_for_ticket(conn: Connection, connector: str, ticket_id: str) -> str | None:
    return conn.execute(
        select(channel_tickets.c.case_id).where(
            channel_tickets.c.connector == connector, channel_tickets.c.ticket_id == ticket_id
        )
    ).scalar()


def comment_recorded(conn: Connection, connector: str, comment_id: str) -> bool:
    found = conn.execute(
        select(channel_comments.c.id).where(
            channel_comments.c.connector == connector,
            channel_comments.c.comment_id == comment_id,
        )
    ).first()
    return found is not None


def record_comment(
    conn: Connection,
    connector: str,
    *,
    case_id: str,
    comment_id: str | None,
    message_id: str,
    direction: str,
) -> None:
    conn.execute(
        insert(channel_comments).values(
            connector=connector,
            case_id=case_id,
            comment_id=comment_id,
            message_id=message_id,
            direction=direction,
            created_at=format_time(now()),
        )
    )


def apply_changes(
    conn: Connection,
    connector: str,
    changes: list[ExternalChange],
    *,
    max_messages: int | None,
    max_attachment_bytes: int,
) -> int:
    """Apply what is new of `changes`; how many changed the case. Each is applied in a
    savepoint: a comment another request recorded at the same moment is skipped, and a
    change the case cannot take (full, unknown ticket) is logged and skipped."""
    applied = 0
    for change in changes:
        case_id = case_for_ticket(conn, connector, change.ticket_id)
        if case_id is None:
            log.info("%s: ticket %s is linked to no case", connector, change.ticket_id)
            continue
        try:
            with conn.begin_nested():
                if _apply(conn, connector, case_id, change, max_messages, max_attachment_bytes):
                    applied += 1
        except IntegrityError:
            continue  # recorded by a concurrent webhook or pass
        except (MutationRejected, ProblemError) as refused:
            log.warning("%s: ticket %s: %s", connector, change.ticket_id, refused)
    return applied


def _apply(
    conn: Connection,
    connector: str,
    case_id: str,
    change: ExternalChange,
    max_messages: int | None,
    max_attachment_bytes: int,
) -> bool:
    if isinstance(change, ExternalStatus):
        if change.status is not TicketStatus.solved:
            return False
        status = conn.execute(select(cases_table.c.status).where(cases_table.c.id == case_id))
        if status.scalar() in (CaseStatus.solved.value, CaseStatus.closed.value):
            return False
        cases.set_case_status(conn, case_id=case_id, status=CaseStatus.solved)
        return True
    assert isinstance(change, ExternalReply)
    if comment_recorded(conn, connector, change.comment_id):
        return False

    def store(filename: str, content_type: str, data: bytes) -> Attachment:
        return store_agent_attachment(
            conn,
            case_id=case_id,
            filename=filename,
            content_type=content_type,
            data=data,
            max_bytes=max_attachment_bytes,
        )

    files, notes = keep_incoming(change.attachments, store)
    body = "\n\n".join([change.body, *(f"[{note}]" for note in notes)] if change.body else notes)
    replied = cases.agent_reply(
        conn,
        case_id=case_id,
        body=body,
        author_name=change.author_name,
        max_messages=max_messages,
        attachment_ids=files,
        channel=Channel.helpdesk,
    )
    record_comment(
        conn,
        connector,
        case_id=case_id,
        comment_id=change.comment_id,
        message_id=replied.messages[-1].id,
        direction="in",
    )
    return True


def open_tickets(conn: Connection, connector: str) -> list[str]:
    """The tickets of this connector's cases that are not closed, for reconciliation."""
    rows = conn.execute(
        select(channel_tickets.c.ticket_id)
        .join(cases_table, cases_table.c.id == channel_tickets.c.case_id)
        .where(
            channel_tickets.c.connector == connector,
            cases_table.c.status != CaseStatus.closed.value,
        )
        .order_by(channel_tickets.c.created_at)
    )
    return [r.ticket_id for r in rows]
