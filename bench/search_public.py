"""Search quality on a public help centre nobody here wrote (tests/store/public_kb): how often
the right article comes first (top-1) and among the first three (top-3), for Careline's
search, plain SQLite FTS5 with the porter stemmer, and Whoosh, on the same articles and the
same queries (written before any of them ran)."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Sequence

from app.schemas import Article
from app.store import open_public
from tests.store.kb_fixture import load_articles
from tests.store.public_kb import Engine, Quality, public_articles, quality
from tests.store.public_kb.queries import QUERIES, TYPOS


def careline_engine(articles: Sequence[Article]) -> Engine:
    store = open_public(None, memory=True)
    load_articles(store, list(articles))
    return lambda query, limit: [h.slug for h in store.search.search(query, limit=limit)]


def fts5_engine(articles: Sequence[Article], *, join: str) -> Engine:
    """SQLite FTS5 as it comes (unicode61 + porter, bm25 with equal columns), the query's
    words quoted and joined with AND or OR; AND falls back to OR when it finds too few."""
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(slug UNINDEXED, title, body, "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )
    conn.executemany(
        "INSERT INTO docs (slug, title, body) VALUES (?, ?, ?)",
        [(a.slug, a.title, a.body) for a in articles],
    )

    def run(words: list[str], joiner: str, limit: int) -> list[str]:
        expression = f" {joiner} ".join(f'"{w}"' for w in words)
        sql = "SELECT slug FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?"
        return [row[0] for row in conn.execute(sql, (expression, limit))]

    def search(query: str, limit: int) -> list[str]:
        words = [w for w in "".join(c if c.isalnum() else " " for c in query).split() if w]
        if not words:
            return []
        found = run(words, join, limit)
        if join == "AND" and len(found) < limit:
            found += [s for s in run(words, "OR", limit) if s not in found]
        return found[:limit]

    return search


def whoosh_engine(articles: Sequence[Article]) -> tuple[Engine, float]:
    """Whoosh with its stemming analyzer, title above tags above body, words OR'ed with a
    bonus for holding more of them (its documented setup for search boxes); the time the
    index took to build."""
    import time
    import warnings

    warnings.simplefilter("ignore")
    from whoosh import fields, index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.qparser import MultifieldParser, OrGroup

    schema = fields.Schema(
        slug=fields.ID(stored=True),
        title=fields.TEXT(analyzer=StemmingAnalyzer(), field_boost=8.0),
        tags=fields.KEYWORD(lowercase=True, commas=False, field_boost=4.0),
        body=fields.TEXT(analyzer=StemmingAnalyzer()),
    )
    started = time.perf_counter()
    ix = index.create_in(tempfile.mkdtemp(prefix="whoosh-"), schema)
    writer = ix.writer(limitmb=256)
    for a in articles:
        writer.add_document(slug=a.slug, title=a.title, tags=" ".join(a.tags), body=a.body)
    writer.commit()
    build = time.perf_counter() - started
    parser = MultifieldParser(["title", "tags", "body"], schema, group=OrGroup.factory(0.9))
    searcher = ix.searcher()

    def search(query: str, limit: int) -> list[str]:
        try:
            parsed = parser.parse(query)
        except Exception:  # Whoosh raises on some input: it finds nothing.
            return []
        return [hit["slug"] for hit in searcher.search(parsed, limit=limit)]

    return search, build


def report(*, with_whoosh: bool = True) -> dict[str, Quality]:
    """Prints each engine's figures and whether Careline beats the others; returns them."""
    articles = public_articles()
    engines: dict[str, Engine] = {
        "careline": careline_engine(articles),
        "fts5-and": fts5_engine(articles, join="AND"),
        "fts5-or": fts5_engine(articles, join="OR"),
    }
    if with_whoosh:
        engines["whoosh"] = whoosh_engine(articles)[0]
    figures = {name: quality(engine) for name, engine in engines.items()}
    n, t = len(QUERIES), len(TYPOS)
    print(f"== public help centre ({len(articles)} Arduino articles, {n} queries, {t} typos)")
    for name, q in figures.items():
        print(
            f"  {name:<9} top-1 {q.top1:2}/{n}  top-3 {q.top3:2}/{n}  "
            f"typos top-3 {q.typos_top3:2}/{t}"
        )
    ours = figures["careline"]
    others = [q for name, q in figures.items() if name != "careline"]
    best1 = max(q.top1 for q in others)
    best3 = max(q.top3 for q in others)
    best_typos = max(q.typos_top3 for q in others)
    verdict = (
        "meets"
        if ours.top1 > best1 and ours.top3 > best3 and ours.typos_top3 >= best_typos
        else "MISSES"
    )
    print(
        f"  goal: beat the best other on top-1 (> {best1}) and top-3 (> {best3}), typos "
        f">= {best_typos}: {verdict}\n"
    )
    return figures
