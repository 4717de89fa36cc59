"""Searches in the help centre that found nothing, counted on this device: the query as
`gap_query` keeps it (or not at all, when it looks private) and how often, per language.
Only the counts go to the hub, in batches: a batch keeps its random key until the hub has
answered, so a batch sent again after a lost answer is counted there once; what is counted
meanwhile waits for the next batch. Public: nothing here is the customer's."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from app.schemas.search_gaps import GAP_COUNT_MAX, GAPS_PER_REQUEST, gap_query
from app.store.base import Repo, dumps, loads, now_text

# Different queries kept between two batches; more are not counted until a batch goes.
MAX_KEPT = 1000


@dataclass(frozen=True)
class GapBatch:
    key: str
    locale: str
    counts: dict[str, int]


class SearchGaps(Repo):
    def note(self, query: str, locale: str) -> bool:
        """Count a search in `locale` that found nothing; False when it is not kept."""
        kept = gap_query(query)
        if kept is None:
            return False
        with self.db.transaction() as conn:
            known = conn.execute(
                "SELECT 1 FROM search_gaps WHERE query = ? AND locale = ?", (kept, locale)
            ).fetchone()
            if known is None:
                (held,) = conn.execute("SELECT count(*) FROM search_gaps").fetchone()
                if held >= MAX_KEPT:
                    return False
            conn.execute(
                "INSERT INTO search_gaps (query, locale, count) VALUES (?, ?, 1) "
                "ON CONFLICT (query, locale) DO UPDATE SET count = min(count + 1, ?)",
                (kept, locale, GAP_COUNT_MAX),
            )
        return True

    def counted(self) -> dict[tuple[str, str], int]:
        """(query, locale) -> searches counted and not yet in a batch."""
        rows = self.rows("search_gaps")
        return {(r["query"], r["locale"]): int(r["count"]) for r in rows}

    def outgoing(self) -> list[GapBatch]:
        """The batches to send, oldest first: those sent before without an answer, as they
        were, and one new batch per language with none on its way, made of its most
        counted queries (taken out of the counts)."""
        with self.db.transaction() as conn:
            waiting = {r["locale"] for r in conn.execute("SELECT locale FROM search_gap_batches")}
            locales = [
                r["locale"]
                for r in conn.execute("SELECT DISTINCT locale FROM search_gaps ORDER BY locale")
            ]
            for locale in (each for each in locales if each not in waiting):
                rows = conn.execute(
                    "SELECT query, count FROM search_gaps WHERE locale = ? "
                    "ORDER BY count DESC, query LIMIT ?",
                    (locale, GAPS_PER_REQUEST),
                ).fetchall()
                counts = {r["query"]: int(r["count"]) for r in rows}
                conn.execute(
                    "INSERT INTO search_gap_batches (key, locale, counts, created_at) "
                    "VALUES (?, ?, ?, ?)",
                    (str(uuid.uuid4()), locale, dumps(counts), now_text()),
                )
                conn.executemany(
                    "DELETE FROM search_gaps WHERE query = ? AND locale = ?",
                    [(query, locale) for query in counts],
                )
            batches = conn.execute(
                "SELECT key, locale, counts FROM search_gap_batches ORDER BY created_at, key"
            ).fetchall()
        return [GapBatch(r["key"], r["locale"], loads(r["counts"])) for r in batches]

    def sent(self, key: str) -> None:
        """The hub took the batch (or refused it for good): it is done."""
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM search_gap_batches WHERE key = ?", (key,))
