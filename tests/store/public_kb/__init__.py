"""An excerpt of a public help centre nobody here wrote (Arduino's, see README.md beside
this file) and the queries search is judged by on it, for search tests and benchmarks."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from app.schemas import Article

ARTICLES = Path(__file__).with_name("articles.json")


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
