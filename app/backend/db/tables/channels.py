"""The channel outbox to the company's helpdesk: what the hub still has to tell it, which
ticket each case became, and which helpdesk comments the hub has already recorded."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text, UniqueConstraint

from app.backend.db.tables.common import metadata, time_column

# One row a thing to tell the helpdesk, delivered in `id` order per case. `kind`: ticket
# (the case opened), comment (`message_id`, a customer's message), status (the case's
# status as it is when delivered). `state`: pending, done or failed (refused: waits for
# an operator's replay).
channel_outbox = Table(
    "channel_outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("connector", String(32), nullable=False),
    Column("case_id", String(40), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("message_id", String(40)),
    Column("attempts", Integer, nullable=False, default=0),
    time_column("next_attempt_at"),
    Column("state", String(16), nullable=False),
    Column("last_error", Text),
    time_column("created_at"),
    time_column("done_at", nullable=True),
    Index("ix_channel_outbox_due", "state", "next_attempt_at"),
    Index("ix_channel_outbox_case", "case_id", "id"),
)

# The ticket a case became in one connector's helpdesk.
channel_tickets = Table(
    "channel_tickets",
    metadata,
    Column("connector", String(32), primary_key=True),
    Column("case_id", String(40), primary_key=True),
    Column("ticket_id", String(64), nullable=False),
    time_column("created_at"),
    UniqueConstraint("connector", "ticket_id"),
)

# Comments both ways: an agent's reply recorded as `message_id` on the case (inbound), or
# a customer's message the helpdesk holds as `comment_id` (outbound; None when only the
# helpdesk's marker proved it arrived). One helpdesk comment is recorded once.
channel_comments = Table(
    "channel_comments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("connector", String(32), nullable=False),
    Column("case_id", String(40), nullable=False),
    Column("comment_id", String(64)),
    Column("message_id", String(40), nullable=False),
    Column("direction", String(8), nullable=False),
    time_column("created_at"),
    UniqueConstraint("connector", "comment_id"),
    UniqueConstraint("connector", "message_id"),
)
