"""What the hub keeps for email: Message-IDs seen and sent, where each case's replies go,
and the outbox of replies to send after their transaction commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from app.backend.backoff import backoff_seconds
from app.backend.db.tables import mail_cases, mail_ids, mail_outbox
from app.backend.util import format_time, new_id, now

# An outbox item that failed waits 30 s, then twice as long after each failure, at most an
# hour; it is retried until it is sent. A sender claims an item for LEASE first, so two
# hub processes never send the same reply at once.
RETRY_FIRST = timedelta(seconds=30)
RETRY_MOST = timedelta(hours=1)
LEASE = timedelta(minutes=2)


@dataclass(frozen=True)
class MailCase:
    case_id: str
    address: str
    replies_by_email: bool
    verified: bool


def mail_case(conn: Connection, case_id: str) -> MailCase | None:
    row = conn.execute(select(mail_cases).where(mail_cases.c.case_id == case_id)).one_or_none()
    if row is None:
        return None
    return MailCase(row.case_id, row.address, row.replies_by_email, row.verified)


def set_mail_case(
    conn: Connection, *, case_id: str, address: str, replies_by_email: bool, verified: bool
) -> None:
    if mail_case(conn, case_id) is None:
        conn.execute(
            insert(mail_cases).values(
                case_id=case_id,
                address=address,
                replies_by_email=replies_by_email,
                verified=verified,
            )
        )
    else:
        conn.execute(
            update(mail_cases)
            .where(mail_cases.c.case_id == case_id)
            .values(address=address, replies_by_email=replies_by_email)
        )


def seen_id(conn: Connection, message_id: str) -> Row[Any] | None:
    return conn.execute(select(mail_ids).where(mail_ids.c.message_id == message_id)).one_or_none()


def record_id(
    conn: Connection,
    *,
    message_id: str,
    case_id: str,
    case_message_id: str | None,
    direction: str,
) -> None:
    conn.execute(
        insert(mail_ids).values(
            message_id=message_id,
            case_id=case_id,
            case_message_id=case_message_id,
            direction=direction,
            created_at=format_time(now()),
        )
    )


def case_of_references(conn: Connection, references: tuple[str, ...]) -> str | None:
    """The case of the newest Message-ID among `references` the hub has recorded."""
    for ref in references:
        found = seen_id(conn, ref)
        if found is not None:
            return str(found.case_id)
    return None


def message_ids_of_case(conn: Connection, case_id: str) -> list[str]:
    """The case's recorded Message-IDs, oldest first (a reply's References)."""
    query = (
        select(mail_ids.c.message_id)
        .where(mail_ids.c.case_id == case_id)
        .order_by(mail_ids.c.created_at, mail_ids.c.message_id)
    )
    return [str(r) for r in conn.execute(query).scalars()]


def queue_reply(conn: Connection, *, case_id: str, case_message_id: str) -> None:
    """Queue an agent's reply for sending when the case takes replies by email."""
    found = mail_case(conn, case_id)
    if found is None or not found.replies_by_email:
        return
    stamp = format_time(now())
    conn.execute(
        insert(mail_outbox).values(
            id=new_id("mail"),
            case_id=case_id,
            case_message_id=case_message_id,
            recipient=found.address,
            attempts=0,
            next_attempt_at=stamp,
            created_at=stamp,
        )
    )


def claim_due(conn: Connection, *, at: datetime, limit: int = 20) -> list[Row[Any]]:
    """Outbox items due at `at`, each claimed for LEASE (a conditional update: an item
    another process claimed first is left to it)."""
    stamp = format_time(at)
    rows = conn.execute(
        select(mail_outbox)
        .where(mail_outbox.c.sent_at.is_(None), mail_outbox.c.next_attempt_at <= stamp)
        .order_by(mail_outbox.c.next_attempt_at)
        .limit(limit)
    ).all()
    claimed = []
    for row in rows:
        done = conn.execute(
            update(mail_outbox)
            .where(
                mail_outbox.c.id == row.id,
                mail_outbox.c.next_attempt_at == row.next_attempt_at,
                mail_outbox.c.sent_at.is_(None),
            )
            .values(next_attempt_at=format_time(at + LEASE))
        )
        if done.rowcount == 1:
            claimed.append(row)
    return claimed


def mark_sent(conn: Connection, item_id: str, *, at: datetime) -> None:
    conn.execute(
        update(mail_outbox).where(mail_outbox.c.id == item_id).values(sent_at=format_time(at))
    )


def mark_failed(conn: Connection, item_id: str, *, attempts: int, error: str, at: datetime) -> None:
    wait = timedelta(
        seconds=backoff_seconds(
            attempts + 1, first=RETRY_FIRST.total_seconds(), longest=RETRY_MOST.total_seconds()
        )
    )
    conn.execute(
        update(mail_outbox)
        .where(mail_outbox.c.id == item_id)
        .values(
            attempts=attempts + 1, last_error=error[:500], next_attempt_at=format_time(at + wait)
        )
    )


def backlog(conn: Connection) -> list[Row[Any]]:
    return list(
        conn.execute(
            select(mail_outbox)
            .where(mail_outbox.c.sent_at.is_(None))
            .order_by(mail_outbox.c.created_at)
        ).all()
    )
