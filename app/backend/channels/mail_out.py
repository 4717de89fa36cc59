"""Agents' replies on cases that take replies by email, sent from the mail outbox.

`crud.cases.agent_reply` only queues a reply (in its own transaction); the hub's outbox
loop sends it after that commits, with the hub's SMTP settings (`mailer.open_smtp`). A send
that fails is retried: 30 s later, then twice as long after each failure, at most hourly
(`mail_store.RETRY_*`), until it goes. The Message-ID is made from the reply's id, so a
send repeated after a crash between sending and recording it is the same mail to the
customer's mail program."""

from __future__ import annotations

import asyncio
import logging
import smtplib
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr, parseaddr
from typing import Any

from sqlalchemy import Connection, select

from app.backend.channels import mail_store
from app.backend.channels.mail_parse import CASE_REF, LOOP_HEADER
from app.backend.crud.attachments import attachment_content
from app.backend.db import Database
from app.backend.db.tables import attachments, case_messages, cases
from app.backend.mailer import open_smtp
from app.backend.settings import HubSettings, SettingsError
from app.backend.util import now

log = logging.getLogger("careline.hub.mail")


def reply_message_id(settings: HubSettings, case_message_id: str) -> str:
    return f"careline.{case_message_id}@{_domain(settings)}"


def _domain(settings: HubSettings) -> str:
    address = parseaddr(settings.support_address or settings.mail_from)[1]
    return address.rpartition("@")[2] or "careline.invalid"


def subject_for(subject: str, number: int) -> str:
    """The case's subject with its reference, which threads an answer written anew."""
    if CASE_REF.search(subject):
        return subject if subject.lower().startswith("re:") else f"Re: {subject}"
    return f"Re: {subject} [Case #{number}]"


def compose(conn: Connection, settings: HubSettings, item: Any) -> EmailMessage:
    case = conn.execute(select(cases).where(cases.c.id == item.case_id)).one()
    reply = conn.execute(
        select(case_messages).where(case_messages.c.id == item.case_message_id)
    ).one()
    earlier = [
        ref
        for ref in mail_store.message_ids_of_case(conn, item.case_id)
        if not ref.startswith(f"careline.{item.case_message_id}@")
    ]
    message = EmailMessage()
    sender = settings.support_address or parseaddr(settings.mail_from)[1]
    message["From"] = formataddr((reply.author_name or f"{settings.company_name} support", sender))
    message["To"] = item.recipient
    message["Subject"] = subject_for(case.subject, case.number)
    message["Message-ID"] = f"<{reply_message_id(settings, item.case_message_id)}>"
    if earlier:
        message["In-Reply-To"] = f"<{earlier[-1]}>"
        message["References"] = " ".join(f"<{ref}>" for ref in earlier[-20:])
    # A person's reply: no Auto-Submitted, but our own marker, so our mail coming back
    # (a forward, a misconfigured alias) is dropped, not kept as the customer's.
    message[LOOP_HEADER] = _domain(settings)
    message.set_content(reply.body)
    _attach(conn, message, item.case_message_id)
    return message


def _attach(conn: Connection, message: EmailMessage, case_message_id: str) -> None:
    ids = conn.execute(
        select(attachments.c.id).where(attachments.c.message_id == case_message_id)
    ).scalars()
    for attachment_id in ids:
        meta, data = attachment_content(conn, attachment_id=attachment_id, customer_id=None)
        main, _, sub = meta.content_type.partition("/")
        message.add_attachment(data, maintype=main, subtype=sub, filename=meta.filename)


def deliver_due(db: Database, settings: HubSettings, *, at: datetime | None = None) -> int:
    """Send the replies due now; returns how many went. Failures wait for their retry."""
    if settings.smtp_host is None:
        return 0
    moment = at or now()
    with db.write() as conn:
        items = mail_store.claim_due(conn, at=moment)
    sent = 0
    for item in items:
        with db.read() as conn:
            message = compose(conn, settings, item)
        try:
            with open_smtp(settings) as smtp:
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException, SettingsError) as error:
            log.warning(
                "reply %s to %s not sent (attempt %d), retried later: %s",
                item.case_message_id,
                item.recipient,
                item.attempts + 1,
                error,
            )
            with db.write() as conn:
                mail_store.mark_failed(
                    conn, item.id, attempts=item.attempts, error=str(error), at=moment
                )
            continue
        with db.write() as conn:
            mail_store.mark_sent(conn, item.id, at=now())
            message_id = reply_message_id(settings, item.case_message_id)
            if mail_store.seen_id(conn, message_id) is None:
                mail_store.record_id(
                    conn,
                    message_id=message_id,
                    case_id=item.case_id,
                    case_message_id=item.case_message_id,
                    direction="out",
                )
        sent += 1
        log.info("reply %s sent to %s", item.case_message_id, item.recipient)
    return sent


async def run_outbox(db: Database, settings: HubSettings) -> None:
    """The hub's outbox loop: sends what is due every `mail_outbox_seconds`."""
    while True:
        try:
            await asyncio.to_thread(deliver_due, db, settings)
        except Exception:
            log.exception("mail outbox pass failed; the next one retries")
        await asyncio.sleep(settings.mail_outbox_seconds)
