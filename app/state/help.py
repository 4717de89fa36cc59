"""The Help screen's state: instant search, categories, the open article and its vote,
and the rules that keep self-service from ending in a dead end: an active incident's
articles come first on the Help home, and the home, a search without results and a "No"
on "Was this helpful?" offer contact (open a case, book a callback)."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import flet as ft

from app.api import HubError
from app.schemas import Article, Category, Impact, Incident, IncidentKind
from app.schemas.localized import localized
from app.state.runtime import DeviceRuntime
from app.state.storage import try_saving
from app.store import StorageError
from app.store.records import SearchHit
from app.store.search_words import FALLBACK_LOCALE, language

RELATED = 4
RESULTS = 10  # as many as a screen shows; fewer to draw on every keystroke
SUBJECT_MAX = 200  # a case subject's length
# Seconds a search that found nothing stays as typed before it counts as a search gap:
# the keystrokes on the way to a query that finds something are not counted.
GAP_SETTLE = 2.0
IMPACT_ORDER = list(Impact)
_HEADING = re.compile(r"^##\s+\S", re.MULTILINE)
_HELP_LINK = re.compile(r"^[-*]\s+\[(?P<title>[^\]]+)\]\(/help/(?P<slug>[A-Za-z0-9_-]+)\)\s*$")


@dataclass(frozen=True)
class Link:
    """An article to open: its slug, title and the locale it is in (None: not known, as
    for the links an author writes)."""

    slug: str
    title: str
    locale: str | None = None


def in_other_language(locale: str | None, customer: str) -> bool:
    """Whether an article in `locale` is shown to a customer reading `customer`'s
    language (an untranslated article found through the fallback language)."""
    return locale is not None and language(locale) != language(customer)


@dataclass(frozen=True)
class IncidentHelp:
    """An active incident and the articles it points to that this device holds."""

    incident_id: str
    title: str
    articles: list[Link]


@dataclass(frozen=True)
class ArticleCase:
    """A case about an article that did not help: which article, and what the customer
    typed about it (sent with the vote or not)."""

    slug: str
    title: str
    category: str
    comment: str


def split_related(body: str) -> tuple[str, list[Link]]:
    """An article's own closing list of related articles (a last `##` section holding
    only links to other articles, whatever its heading's language) taken out of the body,
    so the screen shows one "Related articles" list, not the author's and its own."""
    starts = [m.start() for m in _HEADING.finditer(body)]
    if not starts:
        return body, []
    section = body[starts[-1] :].splitlines()[1:]
    links: list[Link] = []
    for line in (line.strip() for line in section):
        if not line:
            continue
        found = _HELP_LINK.match(line)
        if found is None:
            return body, []
        links.append(Link(found["slug"], found["title"]))
    if not links:
        return body, []
    return body[: starts[-1]].rstrip() + "\n", links


def merge_related(
    authored: Sequence[Link], found: Sequence[Link], slug: str, limit: int = RELATED
) -> list[Link]:
    """The author's related articles first, then what search finds, each once, never the
    article itself."""
    merged: list[Link] = []
    for link in [*authored, *found]:
        if link.slug != slug and all(link.slug != m.slug for m in merged):
            merged.append(link)
    return merged[: max(limit, len(authored))]


def incident_help(
    incidents: Sequence[Incident], link: Callable[[str], Link | None]
) -> list[IncidentHelp]:
    """Active incidents (not maintenance) with the articles they name, worst impact first,
    then the newest; an article this device does not hold is left out, and an incident
    with none is too. `link` gives an article in the customer's language when translated,
    else in the fallback language."""
    active = [i for i in incidents if i.kind is IncidentKind.incident and i.resolved_at is None]
    active.sort(key=lambda i: (-IMPACT_ORDER.index(i.impact), -i.started_at.timestamp()))
    found: list[IncidentHelp] = []
    for incident in active:
        links = [each for slug in incident.articles if (each := link(slug)) is not None]
        if links:
            found.append(IncidentHelp(incident.id, incident.title, links))
    return found


def offers_contact(query: str, results: Sequence[object]) -> bool:
    """The Help screen offers contact on its home and when a search finds nothing."""
    return not query.strip() or not results


def case_subject(text: str) -> str:
    """A new case's subject made from search words or an article's title."""
    return " ".join(text.split())[:SUBJECT_MAX]


class HelpState(ft.Observable):
    def __init__(self, runtime: DeviceRuntime, locale: str = "en") -> None:
        self._runtime = runtime
        self._generation = 0
        self.locale = locale
        self.query = ""
        self.results: list[SearchHit] = []
        self.categories: list[Category] = []
        self.category: Category | None = None
        self.category_articles: list[Article] = []
        self.article: Article | None = None
        self.body = ""  # the article's text without its own related list
        self.related: list[Link] = []
        self.vote: bool | None = None
        self.vote_pending = False
        # Why the last vote could not be stored on the device ('storage_full', ...).
        self.vote_refused: str | None = None
        self.missing_slug: str | None = None
        self.incidents: list[IncidentHelp] = []
        # The article a case is being opened about (its form starts from it).
        self.case_about: ArticleCase | None = None
        # When the help centre (the hub's kb feed) was last synced, if ever.
        self.synced_at: str | None = None
        # Counting the last search that found nothing, once it has settled.
        self.gap_counting: asyncio.Task[None] | None = None

    async def load(self) -> None:
        self.categories, self.incidents = await asyncio.to_thread(self._home)

    def _home(self) -> tuple[list[Category], list[IncidentHelp]]:
        content = self._runtime.public.content

        def link(slug: str) -> Link | None:
            article = content.article(slug, self.locale)
            return Link(slug, article.title, article.locale) if article else None

        shown = [localized(i, self.locale) for i in content.incidents(active=True)]
        incidents = incident_help(shown, link)
        categories = content.categories(self.locale)
        if self._falls_back:
            # A category not translated yet is still there, in the fallback language.
            own = {c.id for c in categories}
            fallback = content.categories(FALLBACK_LOCALE)
            categories = [*categories, *(c for c in fallback if c.id not in own)]
        return categories, incidents

    @property
    def _falls_back(self) -> bool:
        """Whether content missing in the customer's language is shown in another."""
        return language(self.locale) != language(FALLBACK_LOCALE)

    def _category_articles(self, category_id: str) -> list[Article]:
        """A category's articles in the customer's language, then those not translated
        into it, in the fallback language."""
        content = self._runtime.public.content
        own = content.articles(locale=self.locale, category=category_id)
        if not self._falls_back:
            return own
        translated = {a.slug for a in content.articles(locale=self.locale)}
        fallback = content.articles(locale=FALLBACK_LOCALE, category=category_id)
        return [*own, *(a for a in fallback if a.slug not in translated)]

    @property
    def contact_here(self) -> bool:
        """Whether the Help screen offers contact now (home, or a search without results)."""
        return offers_contact(self.query, self.results)

    @property
    def contact_after_vote(self) -> bool:
        """A "No" on the open article leads on to contact."""
        return self.vote is False

    def ask_about_article(self, comment: str | None) -> ArticleCase | None:
        """A case about the open article, with what the customer typed about it."""
        article = self.article
        if article is None:
            return None
        about = ArticleCase(article.slug, article.title, article.category, (comment or "").strip())
        self.case_about = about
        return about

    async def read_synced(self) -> None:
        """When the help centre was last synced: what the device's help is as of."""
        feed = await asyncio.to_thread(self._runtime.public.feeds.feed, "kb")
        self.synced_at = feed.synced_at

    async def search(self, query: str) -> None:
        """Results for what is typed now; an answer to an older keystroke is dropped. Query
        and results change together, so the screen redraws once per keystroke."""
        self._generation += 1
        generation = self._generation
        found = (
            await asyncio.to_thread(
                self._runtime.public.search.search, query, locale=self.locale, limit=RESULTS
            )
            if query.strip()
            else []
        )
        if generation == self._generation:
            self.query = query
            self.results = found
            if query.strip() and not found:
                if self.gap_counting is not None:
                    self.gap_counting.cancel()
                self.gap_counting = asyncio.create_task(self._count_gap(generation, query))

    async def _count_gap(self, generation: int, query: str) -> None:
        """Count a search that found nothing (on this device: the sync sends only counts)
        once nothing else was typed for `GAP_SETTLE` seconds."""
        await asyncio.sleep(GAP_SETTLE)
        if generation == self._generation:
            with contextlib.suppress(StorageError):
                await asyncio.to_thread(self._runtime.public.gaps.note, query, self.locale)

    async def open_category(self, category_id: str | None) -> None:
        self.category = next((c for c in self.categories if c.id == category_id), None)
        self.category_articles = (
            await asyncio.to_thread(self._category_articles, category_id) if category_id else []
        )

    async def open_article(self, slug: str) -> None:
        """Show an article (in the customer's language when translated, else in the
        fallback language), its related articles and the customer's vote."""
        runtime = self._runtime
        article = await asyncio.to_thread(runtime.public.content.article, slug, self.locale)
        self.missing_slug = None if article else slug
        self.article, self.vote_refused = article, None
        if article is None:
            self.related = []
            return
        self.body, authored = split_related(article.body)
        # Related in the customer's language first, as search finds them.
        hits = await asyncio.to_thread(
            runtime.public.search.search, article.title, locale=self.locale, limit=RELATED + 1
        )
        found = [Link(h.slug, h.title, h.locale) for h in hits]
        self.related = merge_related(authored, found, slug)
        await self._read_vote(article.id)
        # Kept for reading offline; a device that refuses writes just does not keep it.
        with contextlib.suppress(StorageError):
            await asyncio.to_thread(runtime.personal.account.note_read, slug)

    async def _read_vote(self, article_id: str) -> None:
        vote = await asyncio.to_thread(self._runtime.personal.account.feedback, article_id)
        self.vote = vote[0] if vote else None
        self.vote_pending = bool(vote and vote[1] == "pending")

    async def give_feedback(self, helpful: bool, comment: str | None = None) -> None:
        """Record the vote (kept on the device, queued) and send it at once, signed in or
        not; when the hub cannot be reached it stays queued and goes with the next sync.
        A vote the device refuses is not counted: `vote_refused` says why."""
        article = self.article
        if article is None:
            return
        self.vote_refused = await try_saving(
            lambda: asyncio.to_thread(
                self._runtime.personal.account.give_feedback,
                article.id,
                helpful,
                (comment or "").strip() or None,
            )
        )
        if self.vote_refused is not None:
            return
        self.vote = helpful
        self.vote_pending = True
        try:
            await self._runtime.engine.send_votes()
        except HubError:
            self._runtime.scheduler.poke()
            return
        if self.article is not None and self.article.id == article.id:
            await self._read_vote(article.id)
