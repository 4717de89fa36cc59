"""The demo help centre loaded into a local store, for search tests and benchmarks."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from app.backend.kb_import import parse_article
from app.schemas import Article
from app.store import PublicStore

DEMO_KB = Path(__file__).resolve().parents[2] / "assets" / "demo" / "northwind" / "kb"


def demo_articles() -> list[Article]:
    found = []
    for path in sorted(DEMO_KB.rglob("*.md")):
        a = parse_article(path)
        found.append(
            Article(
                id=f"{a.locale}:{a.slug}",
                slug=a.slug,
                locale=a.locale,
                title=a.title,
                body=a.body,
                category=a.category,
                tags=a.tags,
                updated_at=datetime.now(UTC),
            )
        )
    return found


def load_articles(store: PublicStore, articles: list[Article]) -> None:
    with store.db.transaction() as conn:
        for article in articles:
            store.content.save_article(conn, article)
