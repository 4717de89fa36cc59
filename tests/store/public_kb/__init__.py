"""An excerpt of a public help centre nobody here wrote (Arduino's, see README.md beside
this file) and the queries search is judged by on it, for search tests and benchmarks."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.schemas import Article
from tests.store.public_kb.queries import QUERIES, TYPOS

ARTICLES = Path(__file__).with_name("articles.json")
# A search engine: a query and how many results are wanted in, slugs best first out.
Engine = Callable[[str, int], list[str]]


def public_articles() -> list[Article]:
    """The excerpt's English articles, untagged (the source has no tags)."""
    now = datetime.now(UTC)
    return [
        Article(
            id=f"en:{row['slug']}",
            slug=row["slug"],
            locale="en",
            title=row["title"],
            body=row["body"],
            category=row["category"],
            tags=[],
            updated_at=now,
        )
        for row in json.loads(ARTICLES.read_text(encoding="utf-8"))
    ]


@dataclass(frozen=True)
class Quality:
    """How many queries found a right article first, or in the first three."""

    top1: int
    top3: int
    typos_top3: int


def quality(engine: Engine) -> Quality:
    top1 = top3 = typos = 0
    for query, expected in QUERIES:
        found = engine(query, 3)
        top1 += bool(found[:1]) and found[0] in expected
        top3 += bool(expected & set(found))
    for query, expected in TYPOS:
        typos += bool(expected & set(engine(query, 3)))
    return Quality(top1, top3, typos)
