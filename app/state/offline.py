"""What a browser keeps to show when the app server cannot be reached (a storm takes the
network down): the status as last synced, with its disruptions, and the help articles
that browser read, in its language. The app's service worker shows it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from app.schemas import Article, Component, ComponentState, Incident
from app.schemas.localized import localized
from app.state.runtime import DeviceRuntime
from app.state.status import IMPACT_ORDER
from app.store import PublicStore


@dataclass(frozen=True)
class OfflineCopy:
    locale: str
    synced_at: str | None
    incidents: list[Incident]  # active disruptions and maintenance, the most serious first
    troubled: list[Component]  # services not operational
    articles: list[Article]  # the latest read first


async def offline_copy(public: PublicStore, device: DeviceRuntime | None) -> OfflineCopy:
    """The copy for a browser: public content, and its device's articles when known."""
    locale: str | None = None
    slugs: list[str] = []
    if device is not None:
        account = device.personal.account
        locale = await asyncio.to_thread(account.preference, "locale")
        slugs = await asyncio.to_thread(account.read_articles)
    content = public.content
    incidents = await asyncio.to_thread(content.incidents, active=True)
    components = await asyncio.to_thread(content.components)
    locale = locale or "en"
    found = [await asyncio.to_thread(content.article, slug, locale) for slug in slugs]
    synced_at = (await asyncio.to_thread(public.feeds.feed, "status")).synced_at
    return OfflineCopy(
        locale,
        synced_at,
        sorted(
            (localized(i, locale) for i in incidents),
            key=lambda i: (-IMPACT_ORDER.index(i.impact), i.started_at),
        ),
        [localized(c, locale) for c in components if c.status is not ComponentState.operational],
        [article for article in found if article is not None],
    )
