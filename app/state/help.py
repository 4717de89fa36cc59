"""The Help screen's state: instant search, categories, the open article and its vote."""

from __future__ import annotations

import asyncio
import contextlib

import flet as ft

from app.schemas import Article, Category
from app.state.services import Services
from app.store import StorageError
from app.store.search import SearchHit

__all__ = ["HelpState", "SearchHit"]

RELATED = 4
RESULTS = 10  # as many as a screen shows; fewer to draw on every keystroke


class HelpState(ft.Observable):
    def __init__(self, services: Services, locale: str = "en") -> None:
        self._services = services
        self._generation = 0
        self.locale = locale
        self.query = ""
        self.results: list[SearchHit] = []
        self.categories: list[Category] = []
        self.category: Category | None = None
        self.category_articles: list[Article] = []
        self.article: Article | None = None
        self.related: list[SearchHit] = []
        self.vote: bool | None = None
        self.vote_pending = False
        self.missing_slug: str | None = None

    async def load(self) -> None:
        services = self._services
        self.categories = await asyncio.to_thread(services.public.content.categories, self.locale)

    async def search(self, query: str) -> None:
        """Results for what is typed now; an answer to an older keystroke is dropped. Query
        and results change together, so the screen redraws once per keystroke."""
        self._generation += 1
        generation = self._generation
        found = (
            await asyncio.to_thread(
                self._services.public.search.search, query, locale=self.locale, limit=RESULTS
            )
            if query.strip()
            else []
        )
        if generation == self._generation:
            self.query = query
            self.results = found

    async def open_category(self, category_id: str | None) -> None:
        services = self._services
        self.category = next((c for c in self.categories if c.id == category_id), None)
        self.category_articles = (
            await asyncio.to_thread(
                services.public.content.articles, locale=self.locale, category=category_id
            )
            if category_id
            else []
        )

    async def open_article(self, slug: str) -> None:
        """Show an article (in the customer's language when translated), its related
        articles and the customer's vote."""
        services = self._services
        article = await asyncio.to_thread(services.public.content.article, slug, self.locale)
        self.missing_slug = None if article else slug
        self.article = article
        if article is None:
            self.related = []
            return
        hits = await asyncio.to_thread(
            services.public.search.search, article.title, locale=article.locale, limit=RELATED + 1
        )
        self.related = [h for h in hits if h.slug != slug][:RELATED]
        vote = await asyncio.to_thread(services.personal.account.feedback, article.id)
        self.vote = vote[0] if vote else None
        self.vote_pending = bool(vote and vote[1] == "pending")
        # Kept for reading offline; a device that refuses writes just does not keep it.
        with contextlib.suppress(StorageError):
            await asyncio.to_thread(services.personal.account.note_read, slug)

    async def give_feedback(self, helpful: bool, comment: str | None = None) -> None:
        """Record the vote locally (queued for the hub) and sync soon."""
        if self.article is None:
            return
        await asyncio.to_thread(
            self._services.personal.account.give_feedback,
            self.article.id,
            helpful,
            (comment or "").strip() or None,
        )
        self.vote = helpful
        self.vote_pending = True
        self._services.scheduler.poke()
