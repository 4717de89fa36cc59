"""Mail as a customer's (or a machine's) mail program sends it, for the email channel's
tests: the hub's `mail_in.receive` reads the same bytes its SMTP listener is handed."""

from __future__ import annotations

from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.backend.channels.mail_in import receive
from app.backend.db import Database
from app.backend.db.tables import attachments, case_messages, cases
from app.backend.settings import HubSettings
from tests.hub_process import RealHub, free_port

SUPPORT = "support@northwind.test"
AUTHSERV = "mx.northwind.test"


def mail_settings(settings: HubSettings) -> HubSettings:
    return replace(settings, support_address=SUPPORT, mail_authserv_id=AUTHSERV)


def listening_hub(data_dir: Path) -> tuple[RealHub, int]:
    """A hub process (not started) that will take mail for SUPPORT, and its SMTP port."""
    hub = RealHub(data_dir)
    listen = free_port()
    hub.env.update(
        CARELINE_MAIL_LISTEN=f"127.0.0.1:{listen}",
        CARELINE_SUPPORT_ADDRESS=SUPPORT,
        CARELINE_MAIL_AUTHSERV_ID=AUTHSERV,
    )
    return hub, listen


def verified(sender: str) -> str:
    """The Authentication-Results header the company's MTA adds for a signed mail."""
    domain = sender.rpartition("@")[2]
    return f"{AUTHSERV}; dkim=pass header.d={domain}; dmarc=pass header.from={domain}"


def mail(
    sender: str = "carol@example.com",
    subject: str = "Lost bag on NW123",
    body: str = "My bag did not arrive in Denver.",
    *,
    message_id: str | None = "q1@example.com",
    signed: bool = True,
    **headers: str,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Carol <{sender}>"
    message["To"] = SUPPORT
    message["Subject"] = subject
    if message_id:
        message["Message-ID"] = f"<{message_id}>"
    if signed:
        message["Authentication-Results"] = verified(sender)
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def deliver(
    db: Database, settings: HubSettings, message: EmailMessage | bytes, sender: str = "c@x.test"
) -> str:
    raw = message if isinstance(message, bytes) else message.as_bytes()
    return receive(db, settings, raw, envelope_from=sender)


def counts(db: Database) -> tuple[int, int]:
    """(cases, messages) in the hub."""
    with db.read() as conn:
        return (
            conn.execute(select(func.count()).select_from(cases)).scalar_one(),
            conn.execute(select(func.count()).select_from(case_messages)).scalar_one(),
        )


def all_cases(db: Database) -> list[Any]:
    with db.read() as conn:
        return list(conn.execute(select(cases).order_by(cases.c.number)).all())


def messages_of(db: Database, case_id: str) -> list[Any]:
    with db.read() as conn:
        query = select(case_messages).where(case_messages.c.case_id == case_id)
        return list(conn.execute(query.order_by(case_messages.c.created_at)).all())


def case_files(db: Database, case_id: str) -> list[str]:
    with db.read() as conn:
        query = select(attachments.c.filename).where(attachments.c.case_id == case_id)
        return sorted(str(name) for name in conn.execute(query).scalars())
