"""The local store as versions 1 to 4 of the app made it (public content and personal
data in one file), and the public store's first version. Frozen here so that upgrade
tests start from a real old file."""

from __future__ import annotations

import sqlite3

from app.store.migrations import run_script
from app.store.public_schema import SEARCH, SEARCH_REBUILD, SEARCH_TRIGGERS

# Version 1: everything in one file; first the public content.
V1_PUBLIC = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE feeds (
    name TEXT PRIMARY KEY, cursor TEXT, etag TEXT, synced_at TEXT
);
CREATE TABLE components (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, group_name TEXT, status TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL
);
CREATE TABLE incidents (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, status TEXT NOT NULL, impact TEXT NOT NULL,
    started_at TEXT NOT NULL, resolved_at TEXT, updated_at TEXT NOT NULL, data TEXT NOT NULL
);
CREATE TABLE categories (
    id TEXT NOT NULL, locale TEXT NOT NULL, title TEXT NOT NULL, position INTEGER NOT NULL,
    data TEXT NOT NULL, PRIMARY KEY (id, locale)
);
CREATE TABLE articles (
    id TEXT PRIMARY KEY, slug TEXT NOT NULL, locale TEXT NOT NULL, title TEXT NOT NULL,
    body TEXT NOT NULL, category TEXT NOT NULL, tags TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE INDEX articles_slug ON articles (slug, locale);
CREATE TABLE queues (id TEXT PRIMARY KEY, position INTEGER NOT NULL, data TEXT NOT NULL);
"""
V1 = (
    V1_PUBLIC
    + """
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
)
V3_UPLOADS = """
CREATE TABLE uploads (
    local_id TEXT PRIMARY KEY, filename TEXT NOT NULL, content_type TEXT NOT NULL,
    size INTEGER NOT NULL, data BLOB, server_id TEXT, error TEXT, created_at TEXT NOT NULL
);
"""
ENTITY_VERSIONS = """
CREATE TABLE entity_versions (
    entity TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (entity, id)
);
"""
V4_LIVE = (
    ENTITY_VERSIONS
    + """
CREATE TABLE notified (key TEXT PRIMARY KEY, created_at TEXT NOT NULL);
"""
)


def make_legacy_store(conn: sqlite3.Connection, version: int = 4) -> None:
    """Create the tables of `version` (1 to 4) and stamp it, as that app left the file."""
    run_script(conn, V1)
    if version >= 2:
        run_script(conn, SEARCH + SEARCH_TRIGGERS + SEARCH_REBUILD)
    if version >= 3:
        run_script(conn, V3_UPLOADS)
    if version >= 4:
        run_script(conn, V4_LIVE)
    conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(version),))


def make_public_v1(conn: sqlite3.Connection) -> None:
    """The public store as its version 1 made it (before free callback times were kept)."""
    run_script(conn, V1_PUBLIC + ENTITY_VERSIONS + SEARCH + SEARCH_TRIGGERS + SEARCH_REBUILD)
    conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '1')")
