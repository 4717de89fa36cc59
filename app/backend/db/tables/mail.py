"""Email as a channel: the Message-IDs the hub has seen or sent (threading, duplicates,
loops), the address each emailed case answers to, and the outbox of replies to send."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, String, Table, Text

from app.backend.db.tables.common import id_column, metadata, time_column

mail_ids = Table(
    "mail_ids",
    metadata,
    # A Message-ID without its angle brackets; one row each, so a mail delivered twice
    # adds one message.
    Column("message_id", String(300), primary_key=True),
    Column("case_id", String(40), nullable=False, index=True),
    Column("case_message_id", String(40)),
    Column("direction", String(8), nullable=False),  # "in" or "out"
    time_column("created_at"),
)

mail_cases = Table(
    "mail_cases",
    metadata,
    Column("case_id", String(40), primary_key=True),
    # Where agents' replies go: the sender of an emailed case, or the app customer's
    # own (signed-in) address when they asked for replies by email.
    Column("address", String(254), nullable=False),
    Column("replies_by_email", Boolean, nullable=False),
    # Whether the company's MTA vouched for the sender (DKIM/DMARC pass).
    Column("verified", Boolean, nullable=False),
)

mail_outbox = Table(
    "mail_outbox",
    metadata,
    id_column(),
    Column("case_id", String(40), nullable=False),
    Column("case_message_id", String(40), nullable=False, unique=True),
    Column("recipient", String(254), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    time_column("next_attempt_at"),
    time_column("sent_at", nullable=True),
    time_column("created_at"),
    Index("ix_mail_outbox_due", "sent_at", "next_attempt_at"),
)
