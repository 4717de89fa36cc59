"""One sync: push the outbox in order, then pull every feed to its end.

Blocking store calls run in a worker thread, so the event loop (and the UI) never waits on
SQLite; network calls are the client's, awaited here."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from app.api import HubClient, Rejected, Unauthorized
from app.schemas import MutationResult, Rejection
from app.store import LocalStore
from app.store.outbox import OutboxEntry

PUSH_BATCH = 50
PULL_LIMIT = 500


@dataclass
class SyncReport:
    pushed: int = 0
    rejected: int = 0
    pulled: int = 0
    requests: int = 0
    status_changed: bool = False
    needs_sign_in: bool = False
    errors: list[str] = field(default_factory=list)


class SyncEngine:
    def __init__(self, store: LocalStore, client: HubClient) -> None:
        self.store = store
        self.client = client
        self._lock = asyncio.Lock()

    async def sync(self) -> SyncReport:
        """Push then pull. Network failures propagate (the scheduler retries); a 401 puts
        the session into 'sign in again' and keeps the outbox."""
        async with self._lock:
            report = SyncReport()
            repos = self.store.repos
            signed_in = await asyncio.to_thread(repos.account.token) is not None
            try:
                if signed_in:
                    await self._push(report)
            except Unauthorized:
                await asyncio.to_thread(repos.account.session_expired)
                report.needs_sign_in = True
                signed_in = False
            await self._pull_status(report)
            if signed_in:
                try:
                    await self._pull_feed("private", report)
                except Unauthorized:
                    await asyncio.to_thread(repos.account.session_expired)
                    report.needs_sign_in = True
            else:
                await self._pull_feed("kb", report)
            return report

    async def _push(self, report: SyncReport) -> None:
        repos = self.store.repos
        client_id = await asyncio.to_thread(repos.account.client_id)
        while True:
            batch = await asyncio.to_thread(repos.outbox.pending, PUSH_BATCH)
            if not batch:
                return
            await asyncio.to_thread(repos.outbox.note_attempt, [e.seq for e in batch])
            report.requests += 1
            try:
                response = await self.client.push(client_id, [e.to_wire() for e in batch])
            except Rejected as error:
                # The whole request was refused (malformed by an old client?): keep the
                # entries, mark them with the reason so the customer sees them.
                await asyncio.to_thread(self._reject_batch, batch, str(error))
                report.rejected += len(batch)
                return
            await asyncio.to_thread(repos.applier.apply_results, response.results)
            report.pushed += sum(1 for r in response.results if r.status != "rejected")
            report.rejected += sum(1 for r in response.results if r.status == "rejected")

    def _reject_batch(self, batch: list[OutboxEntry], reason: str) -> None:
        results = [
            MutationResult(
                seq=e.seq,
                key=e.key,
                status="rejected",
                error=Rejection(code="refused", detail=reason),
            )
            for e in batch
        ]
        self.store.repos.applier.apply_results(results)

    async def _pull_status(self, report: SyncReport) -> None:
        repos = self.store.repos
        feed = await asyncio.to_thread(repos.account.feed, "status")
        report.requests += 1
        snapshot, etag = await self.client.status(feed.etag)
        if snapshot is None:
            await asyncio.to_thread(repos.applier.touch_feed, "status")
            return
        await asyncio.to_thread(repos.applier.apply_snapshot, snapshot, etag)
        report.status_changed = True

    async def _pull_feed(self, name: str, report: SyncReport) -> None:
        """Page through a feed; each page and its cursor are stored in one transaction."""
        repos = self.store.repos
        cursor = (await asyncio.to_thread(repos.account.feed, name)).cursor
        if cursor is None:
            # A first sync brings the whole help centre: index it once at the end.
            with self.store.bulk_articles():
                await self._pull_pages(name, None, report)
        else:
            await self._pull_pages(name, cursor, report)

    async def _pull_pages(self, name: str, cursor: str | None, report: SyncReport) -> None:
        repos = self.store.repos
        while True:
            report.requests += 1
            if name == "private":
                page = await self.client.pull(cursor, PULL_LIMIT)
            else:
                page = await self.client.kb_changes(cursor, PULL_LIMIT)
            await asyncio.to_thread(
                repos.applier.apply_changes, name, page.changes, page.cursor, reset=page.reset
            )
            report.pulled += len(page.changes)
            cursor = page.cursor
            if not page.has_more:
                return
