"""The public store: content the hub owns and every customer sees the same (service
states, incidents, the knowledge base and its search index, categories, callback queues).
On a server one file holds it for every visitor."""

from __future__ import annotations

from app.store.migrations import Schema

CONTENT = """
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
CREATE TABLE entity_versions (
    entity TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (entity, id)
);
"""

# The tables a file of version 4 or older held beside the personal data (moved out since).
TABLES = ("components", "incidents", "categories", "articles", "queues")

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
SEARCH_INDEXES = {
    "articles_fts": ("title", "tags", "body"),
    "articles_titles": ("title", "tags"),
    "articles_words": ("title", "tags", "body"),
}


def _indexing(row: str, *, delete: bool = False) -> str:
    """Statements that add the article `row` ("new" or "old") to every search index, or
    take it out (`delete`: an external-content index is told what the row held)."""
    statements = []
    for index, columns in SEARCH_INDEXES.items():
        names = ", ".join(("rowid", *columns))
        values = ", ".join(f"{row}.{column}" for column in ("rowid", *columns))
        if delete:
            names, values = f"{index}, {names}", f"'delete', {values}"
        statements.append(f"    INSERT INTO {index} ({names})\n        VALUES ({values});\n")
    return "".join(statements)


SEARCH_TRIGGERS = f"""
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
{_indexing("new")}END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
{_indexing("old", delete=True)}END;
CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN
{_indexing("old", delete=True)}{_indexing("new")}END;
"""
SEARCH_TRIGGER_NAMES = ("articles_ai", "articles_ad", "articles_au")
SEARCH_REBUILD = """
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
INSERT INTO articles_titles (articles_titles) VALUES ('rebuild');
INSERT INTO articles_words (articles_words) VALUES ('rebuild');
"""

PUBLIC_SCHEMA = Schema(
    name="public content", version=1, baseline=CONTENT + SEARCH + SEARCH_TRIGGERS + SEARCH_REBUILD
)
