"""The Status screen's state: components by group, disruptions ordered for the customer
(see `relevance.arrange`), maintenance, history."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import flet as ft

from app.schemas import Component, Impact, Incident, IncidentKind
from app.schemas.localized import localized
from app.state.relevance import Disruptions, arrange
from app.state.runtime import DeviceRuntime

IMPACT_ORDER = list(Impact)


@dataclass(frozen=True)
class ComponentGroup:
    name: str
    components: list[Component]


class StatusState(ft.Observable):
    """What the company wrote (services, their groups, incidents, their updates and
    actions) is shown in `locale` where translated (`localized`)."""

    def __init__(self, runtime: DeviceRuntime, locale: str = "en") -> None:
        self._runtime = runtime
        self.locale = locale
        self.groups: list[ComponentGroup] = []
        self.active: list[Incident] = []
        self.disruptions = Disruptions()
        self.maintenance: list[Incident] = []
        self.recent: list[Incident] = []
        self.last_updated: str | None = None
        self.refreshing = False
        self.loaded = False

    async def load(self) -> None:
        """Read what the store holds (never the network)."""
        runtime = self._runtime
        components, incidents, subscriptions, feed = await asyncio.gather(
            asyncio.to_thread(runtime.public.content.components),
            asyncio.to_thread(runtime.public.content.incidents),
            asyncio.to_thread(runtime.personal.account.subscriptions),
            asyncio.to_thread(runtime.public.feeds.feed, "status"),
        )
        components = [localized(c, self.locale) for c in components]
        incidents = [localized(i, self.locale) for i in incidents]
        groups: dict[str, list[Component]] = {}
        for component in components:
            groups.setdefault(component.group or "", []).append(component)
        self.groups = [ComponentGroup(name, items) for name, items in groups.items()]
        open_ = [i for i in incidents if i.resolved_at is None]
        self.active = sorted(
            (i for i in open_ if i.kind is IncidentKind.incident and i.status.value != "scheduled"),
            key=lambda i: (-IMPACT_ORDER.index(i.impact), i.started_at),
        )
        self.maintenance = [i for i in open_ if i.kind is IncidentKind.maintenance]
        self.disruptions = arrange(components, self.active, self.maintenance, subscriptions)
        self.recent = [i for i in incidents if i.resolved_at is not None][:20]
        self.last_updated = feed.synced_at
        self.loaded = True

    async def refresh(self) -> None:
        """Sync public content now, then show what the store holds (also when the hub is
        unreachable)."""
        self.refreshing = True
        try:
            await self._runtime.content_scheduler.sync_now()
        finally:
            self.refreshing = False
        await self.load()

    async def incident(self, incident_id: str) -> Incident | None:
        found = await asyncio.to_thread(self._runtime.public.content.incident, incident_id)
        return localized(found, self.locale) if found is not None else None

    async def article_titles(self, slugs: list[str], locale: str) -> dict[str, str]:
        """Titles of the incident's help articles that are on this device."""
        content = self._runtime.public.content
        found = await asyncio.gather(
            *(asyncio.to_thread(content.article, slug, locale) for slug in slugs)
        )
        return {a.slug: a.title for a in found if a is not None}
