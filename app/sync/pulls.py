"""Pulling from the hub into the stores. Each page of a feed is stored with its cursor in
one transaction, so a page that could not be stored is fetched again on the next try;
documents that have not changed cost a 304."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from app.api import HubClient
from app.store import PersonalStore, PublicStore
from app.store.public_apply import ENTITIES as PUBLIC_ENTITIES
from app.sync.report import SyncReport

LIMIT = 500


@asynccontextmanager
async def bulk_articles(public: PublicStore | None) -> AsyncIterator[None]:
    """Many article changes at once into `public` (None: not a bulk load): search indexes
    them in one rebuild at the end. Pausing and rebuilding run in a worker thread, like
    every store call, so the event loop never waits on them."""
    if public is None:
        yield
        return
    await asyncio.to_thread(public.content.pause_search)
    try:
        yield
    finally:
        await asyncio.to_thread(public.content.restore_search)


async def status(client: HubClient, public: PublicStore, report: SyncReport) -> None:
    """The status document (services and incidents)."""
    feed = await asyncio.to_thread(public.feeds.feed, "status")
    report.requests += 1
    snapshot, etag = await client.status(feed.etag)
    if snapshot is None:
        await asyncio.to_thread(public.feeds.touch, "status")
        return
    await asyncio.to_thread(public.applier.apply_snapshot, snapshot, etag)
    report.status_changed = report.content_changed = True


async def queues(client: HubClient, public: PublicStore, report: SyncReport) -> None:
    """The callback queues."""
    feed = await asyncio.to_thread(public.feeds.feed, "queues")
    report.requests += 1
    found, etag = await client.queues(feed.etag)
    if found is not None:
        await asyncio.to_thread(public.applier.apply_queues, found, etag)
        report.content_changed = True


async def help_centre(client: HubClient, public: PublicStore, report: SyncReport) -> None:
    """The knowledge base's feed to its end. Starting from nothing is a reset: what the
    store held may include articles whose tombstones the hub no longer keeps; it is
    indexed for search once at the end."""
    cursor = (await asyncio.to_thread(public.feeds.feed, "kb")).cursor
    async with bulk_articles(public if cursor is None else None):
        fresh = cursor is None
        while True:
            report.requests += 1
            page = await client.kb_changes(cursor, LIMIT)
            reset = page.reset or fresh
            await asyncio.to_thread(
                public.applier.apply_changes, "kb", page.changes, page.cursor, reset=reset
            )
            fresh = False
            report.pulled += len(page.changes)
            report.content_changed |= bool(page.changes) or reset
            cursor = page.cursor
            if not page.has_more:
                return


async def customer(
    client: HubClient,
    personal: PersonalStore,
    report: SyncReport,
    *,
    public: PublicStore | None = None,
) -> None:
    """The customer's own feed to its end (first sync, another account: a reset). With
    `public` (a desktop or phone), the feed that carries public content too, which saves
    fetching the help centre and the queues apart; that part goes to `public` first, so a
    page cut short is fetched, and applied, again."""
    cursor = (await asyncio.to_thread(personal.feeds.feed, "private")).cursor
    async with bulk_articles(public if cursor is None else None):
        fresh = cursor is None
        while True:
            report.requests += 1
            page = await client.pull(cursor, LIMIT, own=public is None)
            reset = page.reset or fresh
            if public is not None:
                shared = [c for c in page.changes if c.entity in PUBLIC_ENTITIES]
                if shared or reset:
                    await asyncio.to_thread(
                        public.applier.apply_changes, None, shared, None, reset=reset
                    )
                    report.content_changed = True
            await asyncio.to_thread(
                personal.applier.apply_changes, page.changes, page.cursor, reset=reset
            )
            fresh = False
            report.pulled += len(page.changes)
            cursor = page.cursor
            if not page.has_more:
                return
