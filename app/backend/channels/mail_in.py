"""Mail to the support address becomes a case, or a message on the case it answers.

The hub runs an SMTP listener (aiosmtpd) rather than polling a mailbox over IMAP: a mail
is in the database before the sending server hears 250, so nothing sits in a mailbox
between polls, nothing is fetched twice, and a database outage answers 451, which makes
the sending server try again. In production it sits behind the company's MTA, which does
spam filtering, TLS and DKIM/DMARC checks and relays the support address to it.

Threading: In-Reply-To/References against the Message-IDs the hub recorded, then a case
reference "[Case #N]" in the subject; either only into a case of the same sender that
still takes replies. Identity: a sender the company's MTA vouched for (DKIM/DMARC pass in
its Authentication-Results) writes as the customer of that address, whose app shows the
case after sign-in. Anyone else writes as an unverified sender: the case is the agents'
to answer by mail, and it never joins an account."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import select

from app.backend.channels import mail_store
from app.backend.channels.mail_parse import Dropped, ParsedMail, Refused, parse_mail
from app.backend.crud import cases
from app.backend.crud.attachments import keep_incoming, store_attachment
from app.backend.crud.auth import ensure_customer, normalize_email
from app.backend.crud.rejections import MutationRejected
from app.backend.db import Database
from app.backend.db.tables import cases as cases_table
from app.backend.settings import HubSettings, SettingsError
from app.schemas import Attachment
from app.schemas.cases import Channel, takes_replies
from app.schemas.files import MAX_ATTACHMENTS

log = logging.getLogger("careline.hub.mail")
NO_TEXT = "(The mail had no text.)"


def unverified_owner(address: str) -> str:
    """The owner of an unverified sender's cases: an id no customer row has, so no
    account's reads, feed or events ever reach them."""
    return "unv_" + hashlib.sha256(address.encode()).hexdigest()[:32]


def receive(db: Database, settings: HubSettings, raw: bytes, *, envelope_from: str) -> str:
    """Keep one incoming mail; the SMTP reply for the sending server."""
    if envelope_from in {"", "<>"} or "mailer-daemon" in envelope_from.lower():
        log.info("mail dropped: a bounce (return path %r)", envelope_from)
        return "250 OK: not kept (a bounce)"
    try:
        mail = parse_mail(raw, authserv_id=settings.mail_authserv_id)
    except Dropped as why:
        log.info("mail from %s dropped: %s", envelope_from, why)
        return f"250 OK: not kept ({why})"
    except Refused as refused:
        log.warning("mail from %s refused: %s", envelope_from, refused)
        return f"{refused.code} {refused.text}"
    if settings.support_address and mail.sender == normalize_email(settings.support_address):
        log.info("mail from %s dropped: from the support address itself (a loop)", mail.sender)
        return "250 OK: not kept (from the support address)"
    message_id = mail.message_id or hashlib.sha256(raw).hexdigest() + "@careline.invalid"
    with db.write() as conn:
        seen = mail_store.seen_id(conn, message_id)
        if seen is not None:
            what = "our own mail came back" if seen.direction == "out" else "a duplicate"
            log.info("mail <%s> dropped: %s (case %s)", message_id, what, seen.case_id)
            return "250 OK: already kept"
        owner = (
            ensure_customer(conn, email=mail.sender).id
            if mail.verified
            else unverified_owner(mail.sender)
        )
        case_id, case_message_id = _keep(conn, settings, mail, owner)
        mail_store.record_id(
            conn,
            message_id=message_id,
            case_id=case_id,
            case_message_id=case_message_id,
            direction="in",
        )
    log.info(
        "mail <%s> from %s kept on case %s (%s)",
        message_id,
        mail.sender,
        case_id,
        "verified" if mail.verified else "unverified",
    )
    return "250 OK"


def _keep(conn: Any, settings: HubSettings, mail: ParsedMail, owner: str) -> tuple[str, str | None]:
    notes = list(mail.notes)
    ids = _store_files(conn, settings, mail, owner, notes)
    body = "\n\n".join([mail.body or NO_TEXT, *(f"[{note}]" for note in notes)])
    target = _thread(conn, mail, owner)
    if target is not None:
        try:
            replied = cases.customer_reply(
                conn,
                customer_id=owner,
                case_ref=target,
                body=body,
                attachment_ids=ids,
                max_messages=settings.max_case_messages,
                channel=Channel.email,
            )
            return replied.id, replied.messages[-1].id
        except MutationRejected:
            pass  # a full case: the mail opens a new one
    case = cases.open_case(
        conn,
        customer_id=owner,
        subject=mail.subject or "(no subject)",
        description=body,
        category="general",
        attachment_ids=ids,
        channel=Channel.email,
    )
    mail_store.set_mail_case(
        conn,
        case_id=case.id,
        address=mail.sender,
        replies_by_email=True,
        verified=mail.verified,
    )
    return case.id, None


def _thread(conn: Any, mail: ParsedMail, owner: str) -> str | None:
    """The case this mail answers: by Message-ID, then by "[Case #N]"; only a case of the
    same owner (so an unverified sender never writes into a verified one) that still
    takes replies."""
    found = mail_store.case_of_references(conn, mail.references)
    query = select(cases_table.c.id, cases_table.c.customer_id, cases_table.c.status)
    candidates = []
    if found is not None:
        candidates.append(query.where(cases_table.c.id == found))
    if mail.case_number is not None:
        candidates.append(query.where(cases_table.c.number == mail.case_number))
    for candidate in candidates:
        row = conn.execute(candidate).one_or_none()
        if row is not None and row.customer_id == owner and takes_replies(row.status):
            return str(row.id)
    return None


def _store_files(
    conn: Any, settings: HubSettings, mail: ParsedMail, owner: str, notes: list[str]
) -> list[str]:
    """Keep the attachments the app's rules allow; each one refused gets a note in the
    thread, so the agent knows it was sent and why it is not there."""

    def store(filename: str, content_type: str, data: bytes) -> Attachment:
        return store_attachment(
            conn,
            customer_id=owner,
            filename=filename,
            content_type=content_type,
            data=data,
            max_bytes=settings.max_attachment_bytes,
            quota=settings.storage_per_customer,
        )

    ids, refused = keep_incoming(mail.files, store)
    notes.extend(refused)
    return ids


class MailHandler:
    """aiosmtpd handler: only the support address is a recipient (never an open relay);
    the database work runs in a worker thread."""

    def __init__(self, db: Database, settings: HubSettings) -> None:
        self.db = db
        self.settings = settings
        self.support = normalize_email(settings.support_address or "")

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if normalize_email(address) != self.support:
            return "550 5.1.1 not a mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        try:
            return await asyncio.to_thread(
                receive, self.db, self.settings, raw, envelope_from=envelope.mail_from or ""
            )
        except Exception:
            log.exception("mail not kept: the sending server will try again")
            return "451 4.3.0 try again later"


def listen_address(settings: HubSettings) -> tuple[str, int] | None:
    if not settings.mail_listen:
        return None
    host, _, port = settings.mail_listen.rpartition(":")
    if not host or not port.isdigit() or not settings.support_address:
        raise SettingsError("CARELINE_MAIL_LISTEN is host:port, and needs CARELINE_SUPPORT_ADDRESS")
    return host.strip("[]"), int(port)


async def start_listener(db: Database, settings: HubSettings) -> asyncio.Server | None:
    """Serve SMTP on CARELINE_MAIL_LISTEN in the running loop (None: not configured)."""
    where = listen_address(settings)
    if where is None:
        return None
    handler = MailHandler(db, settings)
    limit = settings.max_attachment_bytes * MAX_ATTACHMENTS * 2  # base64 and headers
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, data_size_limit=limit, hostname=where[0], ident="Careline"),
        host=where[0],
        port=where[1],
    )
    log.info("taking mail for %s on %s:%d", settings.support_address, *where)
    return server
