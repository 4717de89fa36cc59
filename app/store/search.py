"""Instant search over the cached help centre: FTS5 with bm25 (title above tags above
body), prefix matching for the word being typed, typo correction from the vocabulary of
the articles in the language searched, synonyms per language, and highlighted snippets.

Articles in the customer's language come first; then those of the fallback language
(English) that have no translation in it (an article and its translations share a
slug), found through a bridge of everyday words between the two languages. Each hit
carries its locale, so the screen can say it is in another language. Any string is a
valid query."""

from __future__ import annotations

import itertools
import re
import sqlite3
from dataclasses import dataclass

from app.store import ranking
from app.store.base import Repo
from app.store.content import Content
from app.store.database import Database
from app.store.records import SearchHit
from app.store.search_words import (
    bridged_words,
    fold,
    language,
    stop_words,
    synonyms,
)
from app.store.vocabulary import Vocabulary, bridged, read_vocabulary

MAX_TERMS = 12
# `Search.search`'s fallback when none is given: the company's default language.
COMPANY_DEFAULT = "*"
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


def query_terms(query: str, locale: str = "en") -> tuple[list[str], bool]:
    """The words of a query that carry meaning in `locale`'s language and whether the last
    one is still being typed."""
    words = query_words(query)
    ignored = stop_words(locale)
    meaningful = [w for w in words if w not in ignored] or words
    typing = bool(words) and not query[-1:].isspace() and meaningful[-1:] == words[-1:]
    return meaningful[:MAX_TERMS], typing


@dataclass(frozen=True)
class _Found:
    row: sqlite3.Row
    every_word: bool  # found by a stage that asks for every word of the query
    stems: set[str]  # what its snippet marks
    prefix: str | None

    def hit(self) -> SearchHit:
        r = self.row
        return SearchHit(
            article_id=r["id"],
            slug=r["slug"],
            locale=r["locale"],
            title=r["title"],
            category=r["category"],
            score=float(r["score"]),
            snippet=ranking.snippet(r["body"], self.stems, self.prefix),
        )


class Search(Repo):
    def __init__(self, db: Database, *, content: Content) -> None:
        super().__init__(db)
        self.content = content
        self._vocabularies: dict[str, Vocabulary] = {}
        self._generation = -1

    def vocabulary(self, conn: sqlite3.Connection, locale: str = "en") -> Vocabulary:
        """The words of the articles in `locale`, read again after articles change."""
        if self._generation != self.content.generation:
            self._vocabularies = {}
            self._generation = self.content.generation
        if locale not in self._vocabularies:
            self._vocabularies[locale] = read_vocabulary(conn, locale)
        return self._vocabularies[locale]

    def _bridgeable(self, conn: sqlite3.Connection, locale: str, target: str) -> Vocabulary:
        """The words of `locale`'s articles and those the bridge to `target` knows."""
        key = f"{locale}>{target}"
        if key not in self._vocabularies or self._generation != self.content.generation:
            counts = dict(self.vocabulary(conn, locale).counts)
            for word in bridged_words(locale, target):
                counts.setdefault(word, 1)
            self._vocabularies[key] = Vocabulary(counts)
        return self._vocabularies[key]

    def _plan(self, conn: sqlite3.Connection, query: str, locale: str, target: str) -> _Plan | None:
        """How to look for `query` (in `locale`'s language) among the articles in `target`."""
        terms, typing = query_terms(query, locale)
        if not terms:
            return None
        vocabulary = self.vocabulary(conn, target)
        own = vocabulary if target == locale else self._bridgeable(conn, locale, target)
        # The word being typed is a prefix; only when no word starts so is it a typo.
        prefix = terms[-1] if typing and vocabulary.has_prefix(terms[-1]) else None
        alternatives = []
        weights = []
        for index, term in enumerate(terms):
            typed_prefix = prefix is not None and index == len(terms) - 1
            if target == locale:
                fixes = [] if typed_prefix else vocabulary.corrections(term)
                halves = None if typed_prefix else vocabulary.split(term)
                if halves:
                    fixes.append(" ".join(halves))  # a phrase: the two words side by side
                related = list(synonyms(target, term))
            else:
                fixes, related = bridged(term, locale, target, own, vocabulary, typed_prefix)
            alternatives.append((term, fixes, related))
            weights.append(vocabulary.weight([term, *fixes]))
        words = query_words(query)[: MAX_TERMS * 2]
        pairs = [f"{a} {b}" for a, b in itertools.pairwise(words)]
        return _Plan(alternatives, prefix, weights, pairs)

    def expression(
        self, conn: sqlite3.Connection, query: str, stage: str, locale: str = "en"
    ) -> str:
        """The FTS5 query of a stage: 'titles' (every word, or its correction, in the title
        or tags), 'all' (the same anywhere) or 'any' (any word, correction or synonym).
        Words are quoted, so nothing a person types is read as query syntax."""
        plan = self._plan(conn, query, locale, locale)
        return plan.expression(stage) if plan else ""

    def search(
        self,
        query: str,
        *,
        locale: str = "en",
        category: str | None = None,
        limit: int = 20,
        fallback: str | None = COMPANY_DEFAULT,
    ) -> list[SearchHit]:
        """The best articles for `query`, never raising on odd input: those in `locale`
        first, then those in `fallback` with no translation in `locale` (None: none;
        by default the company's default language, `Content.default_locale`).
        Articles holding every word come before those holding some, whatever their
        language; within each, the customer's language first."""
        if fallback == COMPANY_DEFAULT:
            fallback = self.content.default_locale()
        with self.db.transaction() as conn:
            found = self._search_in(conn, query, locale, locale, category, limit)
            if fallback and language(fallback) != language(locale):
                found += self._search_in(conn, query, locale, fallback, category, limit)
        ordered = [f for f in found if f.every_word] + [f for f in found if not f.every_word]
        return [f.hit() for f in ordered[:limit]]

    def _search_in(
        self,
        conn: sqlite3.Connection,
        query: str,
        locale: str,
        target: str,
        category: str | None,
        limit: int,
    ) -> list[_Found]:
        """Candidates are the articles in `target` whose title or tags hold every word; if
        too few, those holding every word anywhere; then those holding any. They are
        re-ranked by title and tags (see `ranking`); those shown get a snippet with the
        query words marked."""
        plan = self._plan(conn, query, locale, target)
        if plan is None:
            return []
        # Searching another language's articles: only those not translated into `locale`.
        untranslated = locale if target != locale else None
        found: dict[str, sqlite3.Row] = {}
        stages: dict[str, str] = {}
        relevance: dict[str, float] = {}
        pool = max(CANDIDATES, limit)
        for stage in ("titles", "all", "any"):
            expression = plan.expression(stage)
            rows = _candidates(
                conn, index_of(stage), expression, target, category, untranslated, pool
            )
            best = max((-float(r["score"]) for r in rows), default=1.0) or 1.0
            for row in rows:
                if row["id"] not in found:
                    found[row["id"]] = row
                    stages[row["id"]] = stage
                    relevance[row["id"]] = -float(row["score"]) / best * STAGE_WEIGHT[stage]
            if len(found) >= max(limit, ENOUGH):
                break
        stems = plan.stems()
        order = ranking.rerank(
            [
                ranking.candidate(key, relevance[key], r["title"], r["tags"], r["body"], target)
                for key, r in found.items()
            ],
            stems,
            plan.weights,
            plan.pairs,
        )
        every_stem = set().union(*stems)
        return [
            _Found(found[key], stages[key] != "any", every_stem, plan.prefix)
            for key in order[:limit]
        ]


def index_of(stage: str) -> str:
    # The titles stage asks the index of titles and tags alone, so a short title that says
    # what was typed ranks by its own length, not the article's.
    return "articles_titles" if stage == "titles" else "articles_fts"


def _candidates(
    conn: sqlite3.Connection,
    index: str,
    expression: str,
    locale: str,
    category: str | None,
    untranslated: str | None,
    pool: int,
) -> list[sqlite3.Row]:
    """Up to `pool` articles in `locale` matching `expression`, best first; with
    `untranslated`, only those with no translation in that locale."""
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
    if untranslated:
        sql += " AND a.slug NOT IN (SELECT slug FROM articles WHERE locale = ?)"
        params.append(untranslated)
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
        for index, (term, fixes, synonyms_) in enumerate(self.words):
            chosen = [term, *fixes, *(synonyms_ if stage == "any" else [])]
            parts = [f'"{alt}"' for alt in dict.fromkeys(chosen)]
            if self.prefix and index == len(self.words) - 1:
                parts.append(f'"{term}"*')
            groups.append("(" + " OR ".join(parts) + ")")
        return (" OR " if stage == "any" else " AND ").join(groups)

    def stems(self) -> list[set[str]]:
        return [
            {ranking.stem(w) for alt in (term, *fixes, *synonyms_) for w in alt.split()}
            for term, fixes, synonyms_ in self.words
        ]
