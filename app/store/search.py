"""Instant search over the cached help centre: FTS5 with bm25 (title above tags above
body), prefix matching for the word being typed, typo correction from the articles' own
vocabulary, synonyms, and highlighted snippets. Any string is a valid query."""

from __future__ import annotations

import bisect
import re
import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from app.store.base import Repo
from app.store.search_words import STOP_WORDS, SYNONYMS

MARK_START, MARK_END = "\ue000", "\ue001"
MAX_TERMS = 12
WEIGHTS = (8.0, 4.0, 1.0)  # title, tags, body


@dataclass(frozen=True)
class SearchHit:
    article_id: str
    slug: str
    locale: str
    title: str
    category: str
    snippet: list[tuple[str, bool]]  # (text, highlighted)
    score: float


def fold(text: str) -> str:
    """Lower case without diacritics, as the index tokenizer sees it."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def query_terms(query: str) -> tuple[list[str], bool]:
    """The words of a query and whether the last one is still being typed."""
    words = re.findall(r"\w+", fold(query[:2000]))
    words = [w.replace("_", "") for w in words if w.replace("_", "")]
    meaningful = [w for w in words if w not in STOP_WORDS] or words
    typing = bool(words) and not query[-1:].isspace() and meaningful[-1:] == words[-1:]
    return meaningful[:MAX_TERMS], typing


def damerau_levenshtein(a: str, b: str, limit: int) -> int:
    """Edit distance with adjacent transpositions; stops early past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Vocabulary:
    """The index's words with their document counts, and a symmetric-delete map that
    finds words within two edits of a misspelling without scanning them all."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.sorted_words = sorted(counts)
        self.by_delete: dict[str, list[str]] = defaultdict(list)
        for word in counts:
            if len(word) >= 3:
                for variant in _deletes(word) | {word}:
                    self.by_delete[variant].append(word)

    def has_prefix(self, prefix: str) -> bool:
        at = bisect.bisect_left(self.sorted_words, prefix)
        return at < len(self.sorted_words) and self.sorted_words[at].startswith(prefix)

    def corrections(self, term: str, limit: int = 2) -> list[str]:
        if term in self.counts or len(term) < 3 or term.isdigit():
            return []
        max_distance = 1 if len(term) <= 4 else 2
        candidates = {w for v in _deletes(term) | {term} for w in self.by_delete.get(v, ())}
        scored = []
        for word in candidates:
            distance = damerau_levenshtein(term, word, max_distance)
            if distance <= max_distance:
                scored.append((distance, -self.counts[word], word))
        return [word for _, _, word in sorted(scored)[:limit]]


class Search(Repo):
    _vocabulary: Vocabulary | None = None
    _generation = -1

    def vocabulary(self, conn: sqlite3.Connection) -> Vocabulary:
        if self._vocabulary is None or self._generation != self.store.kb_generation:
            rows = conn.execute("SELECT term, doc FROM articles_vocab").fetchall()
            self._vocabulary = Vocabulary({r[0]: int(r[1]) for r in rows})
            self._generation = self.store.kb_generation
        return self._vocabulary

    def expression(self, conn: sqlite3.Connection, query: str, *, all_terms: bool) -> str:
        terms, typing = query_terms(query)
        if not terms:
            return ""
        vocabulary = self.vocabulary(conn)
        groups = []
        for index, term in enumerate(terms):
            # The word being typed is a prefix; only when no word starts so is it a typo.
            prefix = typing and index == len(terms) - 1 and vocabulary.has_prefix(term)
            fixes = [] if prefix else vocabulary.corrections(term)
            alternatives = [term, *fixes, *SYNONYMS.get(term, ())]
            parts = [f'"{alt}"' for alt in dict.fromkeys(alternatives)]
            if prefix:
                parts.append(f'"{term}"*')
            groups.append("(" + " OR ".join(parts) + ")")
        return (" AND " if all_terms else " OR ").join(groups)

    def search(
        self, query: str, *, locale: str = "en", category: str | None = None, limit: int = 20
    ) -> list[SearchHit]:
        """Articles matching all words first, then any word; never raises on odd input."""
        hits: dict[str, SearchHit] = {}
        with self.store.transaction() as conn:
            for all_terms in (True, False):
                expression = self.expression(conn, query, all_terms=all_terms)
                if not expression:
                    break
                for hit in self._run(conn, expression, locale, category, limit):
                    hits.setdefault(hit.article_id, hit)
                if len(hits) >= limit:
                    break
        return list(hits.values())[:limit]

    def _run(
        self,
        conn: sqlite3.Connection,
        expression: str,
        locale: str,
        category: str | None,
        limit: int,
    ) -> list[SearchHit]:
        sql = (
            "SELECT a.id, a.slug, a.locale, a.title, a.category, "
            f"snippet(articles_fts, 2, '{MARK_START}', '{MARK_END}', '…', 16) AS snippet, "
            "bm25(articles_fts, ?, ?, ?) AS score "
            "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
            "WHERE articles_fts MATCH ? AND a.locale = ?"
        )
        params: list[object] = [*WEIGHTS, expression, locale]
        if category:
            sql += " AND a.category = ?"
            params.append(category)
        sql += " ORDER BY score LIMIT ?"
        params.append(limit)
        try:
            rows = conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError:
            return []  # A query the index cannot take finds nothing rather than failing.
        return [
            SearchHit(
                article_id=r["id"],
                slug=r["slug"],
                locale=r["locale"],
                title=r["title"],
                category=r["category"],
                snippet=split_snippet(r["snippet"]),
                score=float(r["score"]),
            )
            for r in rows
        ]


def split_snippet(text: str) -> list[tuple[str, bool]]:
    """'a \ue000b\ue001 c' -> [('a ', False), ('b', True), (' c', False)]."""
    parts: list[tuple[str, bool]] = []
    for piece in re.split(f"({MARK_START}[^{MARK_END}]*{MARK_END})", text):
        if not piece:
            continue
        if piece.startswith(MARK_START):
            parts.append((piece[1:-1], True))
        else:
            parts.append((piece, False))
    return parts
