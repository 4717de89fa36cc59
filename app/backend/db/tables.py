"""The hub's tables. Times are RFC 3339 UTC text (sortable, identical on both databases);
lists and documents are JSON text."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()


def _time(name: str, *, nullable: bool = False) -> Column[str]:
    return Column(name, String(32), nullable=nullable)


meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

counters = Table(
    "counters",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

components = Table(
    "components",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("group_name", String(200)),
    Column("description", Text, nullable=False, default=""),
    Column("status", String(32), nullable=False),
    Column("position", Integer, nullable=False, default=0),
    Column("version", Integer, nullable=False, default=1),
    _time("updated_at"),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("title", String(300), nullable=False),
    Column("status", String(32), nullable=False),
    Column("impact", String(16), nullable=False),
    Column("components", Text, nullable=False, default="[]"),
    Column("keys", Text, nullable=False, default="[]"),
    Column("articles", Text, nullable=False, default="[]"),
    Column("actions", Text, nullable=False, default="[]"),
    _time("started_at"),
    _time("resolved_at", nullable=True),
    _time("scheduled_for", nullable=True),
    _time("scheduled_until", nullable=True),
    _time("created_at"),
    _time("updated_at"),
    Column("version", Integer, nullable=False, default=1),
)

incident_updates = Table(
    "incident_updates",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("incident_id", String(40), ForeignKey("incidents.id"), nullable=False, index=True),
    Column("status", String(32), nullable=False),
    Column("body", Text, nullable=False),
    _time("created_at"),
)

categories = Table(
    "categories",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("locale", String(16), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("icon", String(64)),
    Column("position", Integer, nullable=False, default=0),
    Column("version", Integer, nullable=False, default=1),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(220), primary_key=True),
    Column("slug", String(200), nullable=False),
    Column("locale", String(16), nullable=False),
    Column("title", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("category", String(100), nullable=False),
    Column("tags", Text, nullable=False, default="[]"),
    Column("published", Boolean, nullable=False, default=True),
    Column("version", Integer, nullable=False, default=1),
    _time("updated_at"),
    UniqueConstraint("slug", "locale"),
)

article_feedback = Table(
    "article_feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(220), nullable=False, index=True),
    Column("customer_id", String(40)),
    # Hash of an anonymous voter's key (or address): one vote per voter and article.
    Column("voter_hash", String(64)),
    Column("helpful", Boolean, nullable=False),
    Column("comment", Text),
    _time("created_at"),
    Index("ux_article_feedback_voter", "article_id", "voter_hash", unique=True),
)

customers = Table(
    "customers",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("name", String(200)),
    Column("locale", String(16), nullable=False, default="en"),
    _time("created_at"),
)

auth_codes = Table(
    "auth_codes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False, index=True),
    # The sign-in attempt that asked for the code (a hash of the id `auth/start` returned):
    # a guess names its attempt, so it never counts against, or cancels, anyone else's.
    Column("attempt_hash", String(64), nullable=False, unique=True),
    # Who asked (the rate-limit key of the address): each keeps only its newest few.
    Column("client", String(64), nullable=False),
    # A hash of the attempt id and the code: the table alone does not give the code away.
    Column("code_hash", String(64), nullable=False),
    # Plain code only in dev mode (no SMTP), so the operator CLI can show it.
    Column("dev_code", String(8)),
    Column("attempts", Integer, nullable=False, default=0),
    _time("expires_at"),
    _time("used_at", nullable=True),
    _time("created_at"),
)

# One row per wrong sign-in code: the daily caps per email and per address count them
# (in the database, so they hold across hub processes and restarts).
sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False),
    Column("client", String(64), nullable=False),
    _time("created_at"),
    Index("ix_sign_in_failures_email", "email", "created_at"),
    Index("ix_sign_in_failures_client", "client", "created_at"),
)

tokens = Table(
    "tokens",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("customer_id", String(40), index=True),
    Column("scopes", Text, nullable=False, default="[]"),
    Column("label", String(200)),
    _time("created_at"),
    _time("expires_at", nullable=True),
    _time("revoked_at", nullable=True),
    # When and from what (User-Agent) the token was last used: the customer's list of
    # sign-ins, and the idle timeout of customer sessions.
    _time("last_used_at", nullable=True),
    Column("user_agent", String(200)),
)

cases = Table(
    "cases",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("number", BigInteger, nullable=False, unique=True),
    Column("customer_id", String(40), nullable=False, index=True),
    Column("subject", String(300), nullable=False),
    Column("description", Text, nullable=False),
    Column("category", String(100), nullable=False),
    Column("status", String(16), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("incident_id", String(40)),
    Column("booking_ref", String(40)),
    Column("client_ref", String(100)),
    Column("version", Integer, nullable=False, default=1),
    _time("created_at"),
    _time("updated_at"),
    UniqueConstraint("customer_id", "client_ref"),
)

case_messages = Table(
    "case_messages",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("case_id", String(40), ForeignKey("cases.id"), nullable=False, index=True),
    Column("author", String(16), nullable=False),
    Column("author_name", String(200)),
    Column("body", Text, nullable=False),
    Column("client_ref", String(100)),
    _time("created_at"),
)

attachments = Table(
    "attachments",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("customer_id", String(40), nullable=False, index=True),
    Column("filename", String(255), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("case_id", String(40), index=True),
    Column("message_id", String(40)),
    # The client's key for an upload, so a retried upload returns the first one.
    Column("client_ref", String(100)),
    _time("created_at"),
    Index("ux_attachments_client_ref", "customer_id", "client_ref", unique=True),
    # Pruning finds old uploads no case took without reading the attached ones.
    Index("ix_attachments_unattached", "case_id", "created_at"),
)

queues = Table(
    "queues",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("time_zone", String(64), nullable=False),
    Column("slot_minutes", Integer, nullable=False),
    Column("handle_minutes", Integer, nullable=False),
    Column("min_notice_minutes", Integer, nullable=False),
    Column("horizon_days", Integer, nullable=False),
    Column("hours", Text, nullable=False, default="{}"),
    Column("position", Integer, nullable=False, default=0),
    Column("version", Integer, nullable=False, default=1),
    _time("updated_at"),
)

staffing = Table(
    "staffing",
    metadata,
    Column("queue_id", String(100), ForeignKey("queues.id"), primary_key=True),
    Column("starts_at", String(32), primary_key=True),
    _time("ends_at"),
    Column("agents", Integer, nullable=False),
)

slot_usage = Table(
    "slot_usage",
    metadata,
    Column("queue_id", String(100), primary_key=True),
    Column("slot_start", String(32), primary_key=True),
    Column("booked", Integer, nullable=False, default=0),
)

callbacks = Table(
    "callbacks",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("customer_id", String(40), nullable=False, index=True),
    Column("queue_id", String(100), ForeignKey("queues.id"), nullable=False),
    Column("mode", String(8), nullable=False),
    Column("status", String(16), nullable=False),
    Column("phone", String(32), nullable=False),
    _time("slot_start", nullable=True),
    _time("slot_end", nullable=True),
    Column("note", Text),
    Column("case_id", String(40)),
    Column("booking_ref", String(40)),
    Column("language", String(35)),  # BCP 47 tag: the language to call in
    Column("client_ref", String(100)),
    Column("version", Integer, nullable=False, default=1),
    _time("created_at"),
    _time("updated_at"),
    # When the customer was reminded of a scheduled call (reminded once, by one hub).
    _time("reminded_at", nullable=True),
    Index("ix_callbacks_queue_status", "queue_id", "status"),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("customer_id", String(40), primary_key=True),
    Column("data", Text, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    _time("updated_at"),
)


def _push_failures() -> list[Column[Any]]:
    """Pushes to a device that failed in a row, and since when: it is given up after some."""
    return [
        Column("push_failures", Integer, nullable=False, default=0),
        _time("failing_since", nullable=True),
    ]


devices = Table(
    "devices",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("customer_id", String(40), nullable=False, index=True),
    Column("platform", String(32), nullable=False),
    Column("endpoint", Text, nullable=False),
    Column("keys", Text, nullable=False, default="{}"),
    _time("created_at"),
    _time("updated_at"),
    *_push_failures(),
)

# Devices that get public alerts without an account (a browser that turned alerts on
# before signing in): what they follow, and a hash of the secret that changes or ends it.
alert_devices = Table(
    "alert_devices",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("secret_hash", String(64), nullable=False),
    Column("platform", String(32), nullable=False),
    Column("endpoint", Text, nullable=False),
    Column("endpoint_hash", String(64), nullable=False, unique=True),
    Column("keys", Text, nullable=False, default="{}"),
    Column("follows", Text, nullable=False, default="{}"),
    _time("created_at"),
    _time("updated_at"),
    *_push_failures(),
)

mutations = Table(
    "mutations",
    metadata,
    Column("customer_id", String(40), primary_key=True),
    Column("key", String(36), primary_key=True),
    Column("client_id", String(100), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("name", String(40), nullable=False),
    Column("status", String(16), nullable=False),
    Column("result", Text, nullable=False),
    _time("created_at"),
    Index("ix_mutations_created_at", "created_at"),  # pruning reads the oldest
)

# The sync feed: one row per entity holding its latest state; `seq` moves on every change.
sync_changes = Table(
    "sync_changes",
    metadata,
    Column("entity", String(32), primary_key=True),
    Column("entity_id", String(220), primary_key=True),
    Column("seq", BigInteger, nullable=False, unique=True),
    Column("op", String(8), nullable=False),
    Column("version", Integer, nullable=False),
    Column("customer_id", String(40)),
    Column("data", Text),
    Index("ix_sync_changes_customer_seq", "customer_id", "seq"),
)


# The event log behind `/v1/events` and push: appended in the transaction of each change.
events = Table(
    "events",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(32), nullable=False),
    Column("entity_id", String(220), nullable=False),
    Column("version", Integer, nullable=False),
    Column("customer_id", String(40)),
    Column("data", Text, nullable=False),
    _time("created_at"),
    Index("ix_events_customer_seq", "customer_id", "seq"),
    Index("ix_events_created_at", "created_at"),  # pruning reads the oldest
)
