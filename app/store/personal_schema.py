"""The personal store: what belongs to one device (the session and its hub token, the
customer's cases, callbacks, alerts and votes, the outbox, files waiting to be sent,
which updates were shown, preferences). On a server each browser has its own file."""

from __future__ import annotations

import sqlite3

from app.store import tables
from app.store.migrations import Schema, bookkeeping, entity_versions, in_order, run_script, script
from app.store.public_schema import TABLES as PUBLIC_TABLES

# The customer's own rows, in SQL: most have constraints sqlite-utils cannot state (a
# unique server id, the one row of subscriptions, outbox numbers never handed out twice).
CORE = """
CREATE TABLE cases (
    local_id TEXT PRIMARY KEY, server_id TEXT UNIQUE, number INTEGER, subject TEXT NOT NULL,
    status TEXT NOT NULL, updated_at TEXT NOT NULL, sync_state TEXT NOT NULL,
    error TEXT, seen_messages INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL
);
CREATE TABLE case_messages (
    local_id TEXT PRIMARY KEY, case_local_id TEXT NOT NULL, body TEXT NOT NULL,
    attachments TEXT NOT NULL, sync_state TEXT NOT NULL, error TEXT, created_at TEXT NOT NULL
);
CREATE INDEX case_messages_case ON case_messages (case_local_id);
CREATE TABLE callbacks (
    local_id TEXT PRIMARY KEY, server_id TEXT UNIQUE, queue_id TEXT NOT NULL,
    status TEXT NOT NULL, slot_start TEXT, sync_state TEXT NOT NULL, error TEXT,
    updated_at TEXT NOT NULL, data TEXT NOT NULL
);
CREATE TABLE subscriptions (id INTEGER PRIMARY KEY CHECK (id = 1), data TEXT NOT NULL,
    sync_state TEXT NOT NULL);
CREATE TABLE feedback (
    article_id TEXT PRIMARY KEY, helpful INTEGER NOT NULL, comment TEXT,
    sync_state TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
    args TEXT NOT NULL, created_at TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0, error TEXT, entity TEXT, entity_id TEXT
);
"""


def _uploads(conn: sqlite3.Connection) -> None:
    """Files waiting to be sent (`data` freed once the hub has them)."""
    columns = {
        "local_id": str,
        "filename": str,
        "content_type": str,
        "size": int,
        "data": bytes,
        "server_id": str,
        "error": str,
        "created_at": str,
    }
    required = ["filename", "content_type", "size", "created_at"]
    tables.create(conn, "uploads", columns, pk="local_id", not_null=required)


def _live(conn: sqlite3.Connection) -> None:
    """Versions of what the hub sent, and the updates already shown to the customer
    (never the same one twice)."""
    entity_versions(conn)
    notified = {"key": str, "created_at": str}
    tables.create(conn, "notified", notified, pk="key", not_null=["created_at"])


# What a file of version 4 or older kept about public content, besides its tables.
PUBLIC_FEEDS = ("status", "kb")
PUBLIC_ENTITIES = ("component", "incident", "article", "category", "queue")


def _nothing(conn: sqlite3.Connection) -> None:
    """Version 2 added the search index, which now lives in the public store."""


def _move_public_out(conn: sqlite3.Connection) -> None:
    """Version 5: public content has its own store (`open_local` copies it there first)."""
    run_script(
        conn,
        "\n".join(
            f"DROP TABLE IF EXISTS {table};"
            for table in (
                "articles_vocab",
                "articles_fts",
                "articles_titles",
                "articles_words",
                *PUBLIC_TABLES,
            )
        ),
    )
    marks = ", ".join("?" for _ in PUBLIC_FEEDS)
    conn.execute(f"DELETE FROM feeds WHERE name IN ({marks})", PUBLIC_FEEDS)
    marks = ", ".join("?" for _ in PUBLIC_ENTITIES)
    conn.execute(f"DELETE FROM entity_versions WHERE entity IN ({marks})", PUBLIC_ENTITIES)


PERSONAL_SCHEMA = Schema(
    name="personal data",
    version=5,
    baseline=in_order(bookkeeping, script(CORE), _uploads, _live),
    # Files made by earlier versions (all content in one file) are brought forward.
    migrations=[
        (2, "full-text search over articles", _nothing),
        (3, "attachments waiting to be uploaded", _uploads),
        (4, "live events: entity versions and notified updates", _live),
        (5, "public content moves to its own store", _move_public_out),
    ],
)
