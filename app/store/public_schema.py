"""The public store: content the hub owns and every customer sees the same (service
states, incidents, the knowledge base and its search index, categories, callback queues
and their free times last seen). On a server one file holds it for every visitor."""

from __future__ import annotations

import sqlite3

from app.store import tables
from app.store.migrations import Schema, bookkeeping, entity_versions, in_order, script


def _content(conn: sqlite3.Connection) -> None:
    """The hub's content; `data` holds each entity as the hub sent it, the other columns
    what the store sorts and filters by."""
    components = {
        "id": str,
        "name": str,
        "group_name": str,
        "status": str,
        "position": int,
        "data": str,
    }
    tables.create(
        conn,
        "components",
        components,
        pk="id",
        not_null=["name", "status", "position", "data"],
        defaults={"position": 0},
    )
    incidents = {
        "id": str,
        "kind": str,
        "status": str,
        "impact": str,
        "started_at": str,
        "resolved_at": str,
        "updated_at": str,
        "data": str,
    }
    required = [column for column in incidents if column not in ("id", "resolved_at")]
    tables.create(conn, "incidents", incidents, pk="id", not_null=required)
    categories = {"id": str, "locale": str, "title": str, "position": int, "data": str}
    tables.create(conn, "categories", categories, pk=("id", "locale"), not_null=list(categories))
    articles = {
        "id": str,
        "slug": str,
        "locale": str,
        "title": str,
        "body": str,
        "category": str,
        "tags": str,  # one a line
        "updated_at": str,
    }
    tables.create(conn, "articles", articles, pk="id", not_null=list(articles)[1:])
    tables.table(conn, "articles").create_index(["slug", "locale"], index_name="articles_slug")
    queues = {"id": str, "position": int, "data": str}
    tables.create(conn, "queues", queues, pk="id", not_null=["position", "data"])


def _free_times(conn: sqlite3.Connection) -> None:
    """Version 2: the hub's last availability answer per callback queue (`data`, as the
    hub sent it) and when it came, for the slot picker without the hub."""
    columns = {"queue_id": str, "fetched_at": str, "data": str}
    tables.create(conn, "free_times", columns, pk="queue_id", not_null=list(columns))


def _search_gaps(conn: sqlite3.Connection) -> None:
    """Version 3: searches that found nothing, counted here (`query`, `locale`, `count`),
    and the batches of those counts on their way to the hub (`counts`: JSON)."""
    counted = {"query": str, "locale": str, "count": int}
    tables.create(conn, "search_gaps", counted, pk=("query", "locale"), not_null=list(counted))
    batches = {"key": str, "locale": str, "counts": str, "created_at": str}
    tables.create(conn, "search_gap_batches", batches, pk="key", not_null=list(batches))


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
    name="public content",
    version=3,
    baseline=in_order(
        bookkeeping,
        _content,
        entity_versions,
        # FTS5 with its own tokenizers, ranking and vocabulary: beyond sqlite-utils' FTS.
        script(SEARCH + SEARCH_TRIGGERS + SEARCH_REBUILD),
        _free_times,
        _search_gaps,
    ),
    # Files made by earlier versions are brought forward.
    migrations=[
        (2, "free callback times last seen", _free_times),
        (3, "searches that found nothing, counted on the device", _search_gaps),
    ],
)
