"""Instant search over the cached help centre: FTS5 with bm25 (title above tags above
body), prefix matching for the word being typed, typo correction from the articles' own
vocabulary, synonyms, and highlighted snippets. Any string is a valid query."""

from __future__ import annotations

import bisect
import itertools
import math
import re
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from app.store import ranking
from app.store.base import Repo
from app.store.content import Content
from app.store.database import Database
from app.store.records import SearchHit
from app.store.search_words import STOP_WORDS, SYNONYMS, fold

MAX_TERMS = 12
_APOSTROPHE = re.compile(r"(?<=\w)['’](?=\w)")
CANDIDATES = 40  # re-ranked per search
# Later, looser stages run until this many are found, so the order of the first results
# does not depend on how many were asked for.
ENOUGH = 10
# How much the index's relevance counts, by the stage that found the article.
STAGE_WEIGHT = {"titles": 1.0, "all": 1.0, "any": 0.7}


def query_words(query: str) -> list[str]:
    """Every word of a query, folded, stop words included."""
    # An apostrophe inside a word joins it ("didn't" is the stop word "didnt", not "didn", "t").
    words = re.findall(r"\w+", _APOSTROPHE.sub("", fold(query[:2000])))
    return [w.replace("_", "") for w in words if w.replace("_", "")]


def query_terms(query: str) -> tuple[list[str], bool]:
    """The words of a query that carry meaning and whether the last one is still being typed."""
    words = query_words(query)
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

    def __init__(self, counts: dict[str, int], documents: int = 0) -> None:
        self.counts = counts
        self.documents = max(documents, *counts.values(), 1)
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

    def weight(self, words: Sequence[str]) -> float:
        """How much finding one of `words` says (inverse document frequency): a word in
        few articles says more than one in most. An unknown word weighs like a rare one."""
        found = max((self.counts.get(w, 0) for w in words), default=0) or 1
        return math.log(1 + self.documents / found)

    def split(self, term: str) -> tuple[str, str] | None:
        """An unknown word as two known ones written together ('preorder' -> 'pre',
        'order'), the commonest such pair; None when there is none."""
        if term in self.counts or len(term) < 6:
            return None
        pairs = [
            (min(self.counts[term[:i]], self.counts[term[i:]]), term[:i], term[i:])
            for i in range(3, len(term) - 2)
            if term[:i] in self.counts and term[i:] in self.counts
        ]
        return max(pairs)[1:] if pairs else None


class Search(Repo):
    def __init__(self, db: Database, *, content: Content) -> None:
        super().__init__(db)
        self.content = content
        self._vocabulary: Vocabulary | None = None
        self._generation = -1

    def vocabulary(self, conn: sqlite3.Connection) -> Vocabulary:
        if self._vocabulary is None or self._generation != self.content.generation:
            rows = conn.execute("SELECT term, doc FROM articles_vocab").fetchall()
            [documents] = conn.execute("SELECT count(*) FROM articles").fetchone()
            self._vocabulary = Vocabulary({r[0]: int(r[1]) for r in rows}, int(documents))
            self._generation = self.content.generation
        return self._vocabulary

    def _plan(self, conn: sqlite3.Connection, query: str) -> _Plan | None:
        terms, typing = query_terms(query)
        if not terms:
            return None
        vocabulary = self.vocabulary(conn)
        # The word being typed is a prefix; only when no word starts so is it a typo.
        prefix = terms[-1] if typing and vocabulary.has_prefix(terms[-1]) else None
        alternatives = []
        weights = []
        for index, term in enumerate(terms):
            last = index == len(terms) - 1
            fixes = [] if (prefix and last) else vocabulary.corrections(term)
            halves = None if (prefix and last) else vocabulary.split(term)
            if halves:
                fixes.append(" ".join(halves))  # a phrase: the two words side by side
            alternatives.append((term, fixes, list(SYNONYMS.get(term, ()))))
            weights.append(vocabulary.weight([term, *fixes]))
        words = query_words(query)[: MAX_TERMS * 2]
        pairs = [f"{a} {b}" for a, b in itertools.pairwise(words)]
        return _Plan(alternatives, prefix, weights, pairs)

    def expression(self, conn: sqlite3.Connection, query: str, stage: str) -> str:
        """The FTS5 query of a stage: 'titles' (every word, or its correction, in the title
        or tags), 'all' (the same anywhere) or 'any' (any word, correction or synonym).
        Words are quoted, so nothing a person types is read as query syntax."""
        plan = self._plan(conn, query)
        return plan.expression(stage) if plan else ""

    def search(
        self, query: str, *, locale: str = "en", category: str | None = None, limit: int = 20
    ) -> list[SearchHit]:
        """The best articles for `query`, never raising on odd input. Candidates are the
        articles whose title or tags hold every word; if too few, those holding every word
        anywhere; then those holding any. They are re-ranked by title and tags (see
        `ranking`) and given a snippet with the query words marked."""
        with self.db.transaction() as conn:
            plan = self._plan(conn, query)
            if plan is None:
                return []
            found: dict[str, sqlite3.Row] = {}
            relevance: dict[str, float] = {}
            pool = max(CANDIDATES, limit)
            for stage in ("titles", "all", "any"):
                rows = self._candidates(conn, stage, plan.expression(stage), locale, category, pool)
                best = max((-float(r["score"]) for r in rows), default=1.0) or 1.0
                for row in rows:
                    if row["id"] not in found:
                        found[row["id"]] = row
                        relevance[row["id"]] = -float(row["score"]) / best * STAGE_WEIGHT[stage]
                if len(found) >= max(limit, ENOUGH):
                    break
        stems = plan.stems()
        order = ranking.rerank(
            [
                ranking.candidate(key, relevance[key], r["title"], r["tags"], r["body"])
                for key, r in found.items()
            ],
            stems,
            plan.weights,
            plan.pairs,
        )
        every_stem = set().union(*stems)
        return [
            SearchHit(
                article_id=r["id"],
                slug=r["slug"],
                locale=r["locale"],
                title=r["title"],
                category=r["category"],
                score=float(r["score"]),
                snippet=ranking.snippet(r["body"], every_stem, plan.prefix),
            )
            for r in (found[key] for key in order[:limit])
        ]

    def _candidates(
        self,
        conn: sqlite3.Connection,
        stage: str,
        expression: str,
        locale: str,
        category: str | None,
        pool: int,
    ) -> list[sqlite3.Row]:
        # The titles stage asks the index of titles and tags alone, so a short title that
        # says what was typed ranks by its own length, not the article's.
        index = "articles_titles" if stage == "titles" else "articles_fts"
        sql = (
            "SELECT a.id, a.slug, a.locale, a.title, a.category, a.tags, a.body, "
            f"{index}.rank AS score FROM {index} "
            f"JOIN articles a ON a.rowid = {index}.rowid "
            f"WHERE {index} MATCH ? AND a.locale = ?"
        )
        params: list[object] = [expression, locale]
        if category:
            sql += " AND a.category = ?"
            params.append(category)
        # ORDER BY rank lets FTS5 hand rows over best first, so LIMIT ends the scan early.
        sql += f" ORDER BY {index}.rank LIMIT ?"
        params.append(pool)
        try:
            return conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError:
            return []  # A query the index cannot take finds nothing rather than failing.


@dataclass(frozen=True)
class _Plan:
    """A query's words, each with its corrections and synonyms; the word being typed."""

    words: list[tuple[str, list[str], list[str]]]
    prefix: str | None
    weights: list[float]  # each word's, by how few articles hold it
    pairs: list[str]  # the query's neighbouring words, stop words included ("sign up")

    def expression(self, stage: str) -> str:
        groups = []
        for index, (term, fixes, synonyms) in enumerate(self.words):
            chosen = [term, *fixes, *(synonyms if stage == "any" else [])]
            parts = [f'"{alt}"' for alt in dict.fromkeys(chosen)]
            if self.prefix and index == len(self.words) - 1:
                parts.append(f'"{term}"*')
            groups.append("(" + " OR ".join(parts) + ")")
        return (" OR " if stage == "any" else " AND ").join(groups)

    def stems(self) -> list[set[str]]:
        return [
            {ranking.stem(w) for alt in (term, *fixes, *synonyms) for w in alt.split()}
            for term, fixes, synonyms in self.words
        ]
