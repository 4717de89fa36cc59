"""Versioned migrations of the local database. A migration runs in one transaction with
the version bump, and is refused if it would lose an unsynced outbox entry."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

Migration = tuple[int, str, Callable[[sqlite3.Connection], None]]

CORE = """
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

# Full-text search: a stemmed index of whole articles, one of titles and tags alone (so a
# short title is ranked by its own length), and an unstemmed one whose vocabulary corrects
# typos. All follow `articles` through triggers.
SEARCH = """
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, tags, body, content='articles', content_rowid='rowid',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE articles_titles USING fts5(
    title, tags, content='articles', content_rowid='rowid',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE articles_words USING fts5(
    title, tags, body, content='articles', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE articles_vocab USING fts5vocab(articles_words, 'row');
INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', 'bm25(4.0, 4.0, 1.0)');
INSERT INTO articles_titles (articles_titles, rank) VALUES ('rank', 'bm25(1.0, 1.0)');
"""

# The triggers that keep the search indexes in step with `articles`. A bulk load drops
# them, writes the articles, then rebuilds the indexes and puts them back (much faster
# than indexing row by row); `open_store` puts them back after a crash in between.
SEARCH_TRIGGERS = """
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, tags, body)
        VALUES (new.rowid, new.title, new.tags, new.body);
    INSERT INTO articles_titles (rowid, title, tags) VALUES (new.rowid, new.title, new.tags);
    INSERT INTO articles_words (rowid, title, tags, body)
        VALUES (new.rowid, new.title, new.tags, new.body);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, tags, body)
        VALUES ('delete', old.rowid, old.title, old.tags, old.body);
    INSERT INTO articles_titles (articles_titles, rowid, title, tags)
        VALUES ('delete', old.rowid, old.title, old.tags);
    INSERT INTO articles_words (articles_words, rowid, title, tags, body)
        VALUES ('delete', old.rowid, old.title, old.tags, old.body);
END;
CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, tags, body)
        VALUES ('delete', old.rowid, old.title, old.tags, old.body);
    INSERT INTO articles_titles (articles_titles, rowid, title, tags)
        VALUES ('delete', old.rowid, old.title, old.tags);
    INSERT INTO articles_words (articles_words, rowid, title, tags, body)
        VALUES ('delete', old.rowid, old.title, old.tags, old.body);
    INSERT INTO articles_fts (rowid, title, tags, body)
        VALUES (new.rowid, new.title, new.tags, new.body);
    INSERT INTO articles_titles (rowid, title, tags) VALUES (new.rowid, new.title, new.tags);
    INSERT INTO articles_words (rowid, title, tags, body)
        VALUES (new.rowid, new.title, new.tags, new.body);
END;
"""
SEARCH_TRIGGER_NAMES = ("articles_ai", "articles_ad", "articles_au")
SEARCH_REBUILD = """
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
INSERT INTO articles_titles (articles_titles) VALUES ('rebuild');
INSERT INTO articles_words (articles_words) VALUES ('rebuild');
"""


def _script(sql: str) -> Callable[[sqlite3.Connection], None]:
    def run(conn: sqlite3.Connection) -> None:
        run_script(conn, sql)

    return run


def run_script(conn: sqlite3.Connection, sql: str) -> None:
    for statement in _statements(sql):
        conn.execute(statement)


def _statements(sql: str) -> list[str]:
    """Split a script on `;` ending a line, keeping trigger bodies whole."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for line in sql.strip().splitlines():
        current.append(line)
        upper = line.strip().upper()
        if upper.startswith("CREATE TRIGGER"):
            depth += 1
        if upper == "END;":
            depth -= 1
        if line.rstrip().endswith(";") and depth == 0:
            parts.append("\n".join(current))
            current = []
    return parts


# Files attached to cases and replies, kept with the change until the hub has them.
UPLOADS = """
CREATE TABLE uploads (
    local_id TEXT PRIMARY KEY, filename TEXT NOT NULL, content_type TEXT NOT NULL,
    size INTEGER NOT NULL, data BLOB, server_id TEXT, error TEXT, created_at TEXT NOT NULL
);
"""

# Versions of what the hub sent (so a replayed live event never undoes a newer pull) and
# the updates already shown to the customer (never the same one twice).
LIVE = """
CREATE TABLE entity_versions (
    entity TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (entity, id)
);
CREATE TABLE notified (key TEXT PRIMARY KEY, created_at TEXT NOT NULL);
"""

MIGRATIONS: list[Migration] = [
    (1, "core tables and the outbox", _script(CORE)),
    (2, "full-text search over articles", _script(SEARCH + SEARCH_TRIGGERS + SEARCH_REBUILD)),
    (3, "attachments waiting to be uploaded", _script(UPLOADS)),
    (4, "live events: entity versions and notified updates", _script(LIVE)),
]
LATEST = MIGRATIONS[-1][0]


class MigrationError(RuntimeError):
    """A migration failed or would lose data; the database is left as it was."""


def current_version(conn: sqlite3.Connection) -> int:
    has_meta = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    ).fetchone()
    if not has_meta:
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def _unsynced(conn: sqlite3.Connection) -> set[str]:
    has_outbox = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'"
    ).fetchone()
    if not has_outbox:
        return set()
    return {row[0] for row in conn.execute("SELECT key FROM outbox WHERE state != 'applied'")}


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> list[int]:
    """Apply what is missing, each step in its own transaction; returns versions applied."""
    applied = []
    for version, name, step in migrations:
        if version <= current_version(conn):
            continue
        before = _unsynced(conn)
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(conn)
            lost = before - _unsynced(conn)
            if lost:
                raise MigrationError(
                    f"migration {version} ({name}) would lose {len(lost)} unsynced changes"
                )
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(version),),
            )
        except BaseException as error:
            conn.execute("ROLLBACK")
            if isinstance(error, MigrationError):
                raise
            raise MigrationError(f"migration {version} ({name}) failed: {error}") from error
        conn.execute("COMMIT")
        applied.append(version)
    return applied
