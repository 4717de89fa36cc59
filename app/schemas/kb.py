"""Knowledge base: articles, categories, feedback."""

from __future__ import annotations

from pydantic import Field

from app.schemas.common import MultiLine, UtcTime, WireModel


class Category(WireModel):
    id: str = Field(description="Category key, e.g. 'baggage'.")
    locale: str
    title: str
    description: str = ""
    icon: str | None = None
    position: int = 0


class Article(WireModel):
    id: str = Field(description="'<locale>:<slug>': unique per translation.")
    slug: str
    locale: str
    title: str
    body: str = Field(description="Markdown.")
    category: str
    tags: list[str] = Field(default_factory=list)
    published: bool = True
    updated_at: UtcTime


class ArticleFeedback(WireModel):
    """Arguments of the `article.feedback` mutation."""

    article: str = Field(min_length=1, max_length=200, description="Article id or slug.")
    helpful: bool
    comment: MultiLine | None = Field(None, max_length=2000)


class ArticleVote(WireModel):
    """A vote on an article, counted at once and without an account (`POST /v1/kb/feedback`).
    `voter` is a random key the device keeps: the hub stores only its hash, and a later
    vote with the same key replaces the earlier one on that article. Without it, the
    caller's address stands in for the voter (again stored only as a hash)."""

    article: str = Field(min_length=1, max_length=200, description="Article id or slug.")
    helpful: bool
    comment: MultiLine | None = Field(None, max_length=2000)
    voter: str | None = Field(
        None,
        min_length=16,
        max_length=100,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The device's own random voter key (16 to 100 URL-safe characters).",
    )
