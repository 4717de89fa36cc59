"""Knowledge: how helpful each article was (worst first) with the comments on 'No' votes,
what customers searched for and did not find, and the article editor (opened from a row or
as a new article). A refused save keeps the draft and says the hub's reason."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

import flet as ft
from pydantic import ValidationError

from app.console import supervisor_api as api
from app.console.state.board import quietly
from app.console.state.console import ConsoleState
from app.console.state.errors import Failure
from app.schemas.admin import ArticleIn
from app.schemas.console import ArticleHelpfulness, SearchGap


def helpful_share(row: ArticleHelpfulness) -> float | None:
    """Helpful votes over all votes (None without votes)."""
    votes = row.helpful + row.unhelpful
    return row.helpful / votes if votes else None


def worst_first(rows: list[ArticleHelpfulness]) -> list[ArticleHelpfulness]:
    """Lowest helpful share first, more 'No' votes first among equals; unvoted last."""

    def key(row: ArticleHelpfulness) -> tuple[int, float, int, str]:
        share = helpful_share(row)
        return (share is None, share or 0.0, -row.unhelpful, row.title)

    return sorted(rows, key=key)


def slugify(title: str) -> str:
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:200]


@dataclass(frozen=True)
class ArticleDraft:
    locale: str = "en"
    slug: str = ""
    title: str = ""
    body: str = ""
    category: str = ""
    tags: str = ""  # comma separated, as typed
    new: bool = True

    def wire(self) -> ArticleIn:
        tags = [t.strip() for t in self.tags.split(",") if t.strip()]
        return ArticleIn(title=self.title, body=self.body, category=self.category, tags=tags)


def invalid(error: ValidationError) -> Failure:
    fields = "; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in error.errors() if e["loc"])
    return Failure("invalid", fields)


class KnowledgeState(ft.Observable):
    def __init__(self, console: ConsoleState) -> None:
        self._hub = console.client
        self._session = console.session
        self.articles: list[ArticleHelpfulness] = []
        self.gaps: list[SearchGap] = []
        self.draft: ArticleDraft | None = None
        self.busy = False
        self.saved = False
        self.error: Failure | None = None

    async def load(self) -> None:
        self.busy = True
        found = await self._session.call(self, api.helpfulness(self._hub))
        if found is not None:
            self.articles = worst_first(found)
            gaps = await self._session.call(self, api.gaps(self._hub))
            self.gaps = sorted(gaps or [], key=lambda g: (-g.count, g.query))
        self.busy = False

    def new_article(self, title: str = "") -> None:
        """A blank draft; from a search gap, its query as the title."""
        self.draft, self.saved, self.error = ArticleDraft(title=title), False, None

    async def open(self, locale: str, slug: str) -> None:
        self.saved, self.busy = False, True
        found = await self._session.call(self, api.article(self._hub, locale, slug))
        self.busy = False
        if found is not None:
            self.draft = ArticleDraft(
                locale=found.locale,
                slug=found.slug,
                title=found.title,
                body=found.body,
                category=found.category,
                tags=", ".join(found.tags),
                new=False,
            )

    def edit(self, **typed: str) -> None:
        """What was typed into the draft's text fields (by field name)."""
        if self.draft is not None:
            fields: dict[str, Any] = typed
            quietly(self, "draft", replace(self.draft, **fields))

    def close(self) -> None:
        self.draft, self.error, self.saved = None, None, False

    async def save(self) -> None:
        draft = self.draft
        if draft is None:
            return
        self.saved, self.error = False, None
        slug = draft.slug.strip() or slugify(draft.title)
        if not slug:
            self.error = Failure("invalid", "slug")
            return
        try:
            wire = draft.wire()
        except ValidationError as error:
            self.error = invalid(error)
            return
        self.busy = True
        saved = await self._session.call(
            self, api.save_article(self._hub, draft.locale, slug, wire)
        )
        self.busy = False
        if saved is not None:
            self.draft = replace(draft, slug=saved.slug, new=False)
            self.saved = True
            await self.load()
