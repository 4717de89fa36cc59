"""Versioned schema migrations. Each step runs once, in order, in its own transaction.

Step 1 creates the baseline from `tables.metadata`. A later step must change the schema
with explicit DDL, and `test_migrations_run_once_and_match_the_tables` keeps both in step."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Table, insert, inspect, select, text

from app.backend.db.engine import Database
from app.backend.db.tables import (
    alert_devices,
    article_feedback,
    attachments,
    audit_log,
    auth_codes,
    cases,
    channel_comments,
    channel_outbox,
    channel_tickets,
    counters,
    events,
    mail_cases,
    mail_ids,
    mail_outbox,
    meta,
    metadata,
    mutations,
    push_batches,
    push_sent,
    search_gap_batches,
    search_gaps,
    sign_in_failures,
    social_keys,
    social_posts,
    social_warnings,
    staff,
    tokens,
)

COUNTERS = ("change_seq", "case_number", "event_seq")


def _baseline(conn: Connection) -> None:
    metadata.create_all(conn)
    conn.execute(insert(counters), [{"name": name, "value": 0} for name in COUNTERS])


def _add_columns(conn: Connection, table: str, added: tuple[tuple[str, str], ...]) -> None:
    """Add each (name, DDL type) column the table lacks: a database made by a later
    version's baseline has them already."""
    columns = {c["name"] for c in inspect(conn).get_columns(table)}
    for name, kind in added:
        if name not in columns:
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {name} {kind}"))


def _create_indexes(conn: Connection, table: Table, names: tuple[str, ...]) -> None:
    """Create the table's indexes of these names that the database lacks."""
    for index in table.indexes:
        if index.name in names:
            index.create(conn, checkfirst=True)


def _upload_keys(conn: Connection) -> None:
    _add_columns(conn, "attachments", (("client_ref", "VARCHAR(100)"),))
    _create_indexes(conn, attachments, ("ux_attachments_client_ref",))


def _event_log(conn: Connection) -> None:
    events.create(conn, checkfirst=True)
    known = conn.execute(select(counters.c.name).where(counters.c.name == "event_seq")).first()
    if known is None:
        conn.execute(insert(counters).values(name="event_seq", value=0))


def _alerts(conn: Connection) -> None:
    alert_devices.create(conn, checkfirst=True)
    _add_columns(conn, "callbacks", (("reminded_at", "VARCHAR(32)"),))


def _token_use(conn: Connection) -> None:
    _add_columns(conn, "tokens", (("last_used_at", "VARCHAR(32)"), ("user_agent", "VARCHAR(200)")))


def _sign_in_attempts(conn: Connection) -> None:
    # Codes live minutes: pending ones are dropped rather than converted (their customers
    # ask again), which also widens the code column for longer codes.
    auth_codes.drop(conn, checkfirst=True)
    auth_codes.create(conn)
    sign_in_failures.create(conn, checkfirst=True)


def _push_failures(conn: Connection) -> None:
    added = (("push_failures", "INTEGER NOT NULL DEFAULT 0"), ("failing_since", "VARCHAR(32)"))
    for table in ("devices", "alert_devices"):
        _add_columns(conn, table, added)


# Indexes pruning reads the oldest rows by (`crud.retention`).
PRUNE_INDEXES = ("ix_attachments_unattached", "ix_mutations_created_at", "ix_events_created_at")


def _prune_indexes(conn: Connection) -> None:
    for table in (attachments, mutations, events):
        _create_indexes(conn, table, PRUNE_INDEXES)


# Columns added to existing tables: what the customer told us on a case or callback.
CONTEXT_COLUMNS = {
    "cases": (("booking_ref", "VARCHAR(40)"),),
    "callbacks": (("booking_ref", "VARCHAR(40)"), ("language", "VARCHAR(35)")),
}


def _customer_context(conn: Connection) -> None:
    for table, added in CONTEXT_COLUMNS.items():
        _add_columns(conn, table, added)


def _anonymous_votes(conn: Connection) -> None:
    _add_columns(conn, "article_feedback", (("voter_hash", "VARCHAR(64)"),))
    _create_indexes(conn, article_feedback, ("ux_article_feedback_voter",))


# Tables whose text the company writes, with its translations per locale.
TRANSLATED = ("components", "incidents", "incident_updates", "queues")


def _languages(conn: Connection) -> None:
    for table in TRANSLATED:
        _add_columns(conn, table, (("translations", "TEXT NOT NULL DEFAULT '{}'"),))
    _add_columns(conn, "alert_devices", (("locale", "VARCHAR(35)"),))


def _staff(conn: Connection) -> None:
    staff.create(conn, checkfirst=True)
    audit_log.create(conn, checkfirst=True)
    _add_columns(conn, "tokens", (("staff_id", "VARCHAR(40)"),))
    _create_indexes(conn, tokens, ("ix_tokens_staff_id",))
    _add_columns(conn, "auth_codes", (("purpose", "VARCHAR(16) NOT NULL DEFAULT 'customer'"),))


def _inbox(conn: Connection) -> None:
    _add_columns(conn, "cases", (("assignee", "VARCHAR(40)"),))
    _create_indexes(conn, cases, ("ix_cases_activity",))


def _search_gaps(conn: Connection) -> None:
    for table in (search_gaps, search_gap_batches):
        table.create(conn, checkfirst=True)


def _message_channels(conn: Connection) -> None:
    _add_columns(conn, "case_messages", (("channel", "VARCHAR(16) NOT NULL DEFAULT 'app'"),))


def _channel_outbox(conn: Connection) -> None:
    for table in (channel_outbox, channel_tickets, channel_comments):
        table.create(conn, checkfirst=True)


def _mail(conn: Connection) -> None:
    for table in (mail_ids, mail_cases, mail_outbox):
        table.create(conn, checkfirst=True)


def _early_warning(conn: Connection) -> None:
    for table in (social_posts, social_keys, social_warnings):
        table.create(conn, checkfirst=True)


def _warning_series(conn: Connection) -> None:
    _add_columns(conn, "social_warnings", (("series", "VARCHAR(16) NOT NULL DEFAULT 'total'"),))


def _push_fanout(conn: Connection) -> None:
    for table in (push_batches, push_sent):
        table.create(conn, checkfirst=True)


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "baseline", _baseline),
    (2, "idempotent attachment uploads", _upload_keys),
    (3, "event log", _event_log),
    (4, "alerts without an account, callback reminders", _alerts),
    (5, "when and from what each token was last used", _token_use),
    (6, "sign-in codes bound to their attempt, daily failure caps", _sign_in_attempts),
    (7, "pushes failed in a row per device, to give up on it", _push_failures),
    (8, "indexes for pruning old rows", _prune_indexes),
    (9, "booking reference on cases and callbacks, the callback's language", _customer_context),
    (10, "votes on articles without an account", _anonymous_votes),
    (11, "translations of status content and queues, the language of alert devices", _languages),
    (12, "staff with roles, their sign-ins and codes, the audit log", _staff),
    (13, "who each case is assigned to, cases by latest activity", _inbox),
    (14, "searches that found nothing, counted without customers", _search_gaps),
    (15, "the channel each case message was written in", _message_channels),
    (16, "the channel outbox to a helpdesk, tickets and comments it links", _channel_outbox),
    (17, "email: Message-IDs seen and sent, reply addresses, the mail outbox", _mail),
    (18, "public posts, the keys watched in them, early warnings", _early_warning),
    (19, "which series of its key each early warning burst in", _warning_series),
    (20, "push batches any hub claims, each (event, device) push recorded", _push_fanout),
]
LATEST_VERSION = MIGRATIONS[-1][0]


def schema_version(db: Database) -> int:
    with db.read() as conn:
        return _current_version(conn)


def migrate(db: Database) -> list[int]:
    """Bring the database to the latest version; returns the versions applied."""
    applied: list[int] = []
    for version, _name, step in MIGRATIONS:
        with db.write() as conn:
            if not db.is_sqlite:
                # Several hub processes may start at once: one migrates, the others wait.
                conn.execute(text("SELECT pg_advisory_xact_lock(7301)"))
            current = _current_version(conn)
            if version <= current:
                continue
            step(conn)
            if current == 0:
                conn.execute(insert(meta).values(key="schema_version", value=str(version)))
            else:
                conn.execute(
                    meta.update().where(meta.c.key == "schema_version").values(value=str(version))
                )
            applied.append(version)
    return applied


def _current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("meta"):
        return 0
    found = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    return int(found) if found is not None else 0
