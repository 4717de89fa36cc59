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
