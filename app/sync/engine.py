"""One sync: push the outbox in order, then pull every feed to its end.

Blocking store calls run in a worker thread, so the event loop (and the UI) never waits on
SQLite; network calls are the client's, awaited here.

A full disk or a read-only store raises `StorageFull` / `StorageReadOnly` out of `sync`:
each page is stored with its cursor in one transaction, so a page that could not be
stored leaves the store as it was and is fetched again on the next try."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace

from app.api import HubClient, HubError, RateLimited, Rejected, ServerError, Unauthorized
from app.schemas import MutationResult, Rejection
from app.store import LocalStore, StorageReadOnly
from app.store.outbox import OutboxEntry

PUSH_BATCH = 50
# Answers meaning "this request, as it is, will never be accepted".
REQUEST_REFUSED = frozenset({400, 413, 422})
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
        the session into 'sign in again' and keeps the outbox. When only the push fails
        (the hub errs or is busy), the pulls still run and the error is raised after."""
        async with self._lock:
            await self._check_storage()
            report = SyncReport()
            repos = self.store.repos
            signed_in = await asyncio.to_thread(repos.account.token) is not None
            push_failure: HubError | None = None
            try:
                if signed_in:
                    await self._push(report)
            except Unauthorized:
                await asyncio.to_thread(repos.account.session_expired)
                report.needs_sign_in = True
                signed_in = False
            except (ServerError, RateLimited) as error:
                push_failure = error
            await self._pull_status(report)
            if signed_in:
                try:
                    await self._pull_feed("private", report)
                except Unauthorized:
                    await asyncio.to_thread(repos.account.session_expired)
                    report.needs_sign_in = True
            else:
                await self._pull_feed("kb", report)
            if push_failure is not None:
                raise push_failure
            return report

    async def _check_storage(self) -> None:
        """Fetch nothing that cannot be stored. After a refused write, check for room
        first (raising while there is none); put back the search index triggers if a bulk
        load was cut short by a full disk."""
        if self.store.read_only:
            raise StorageReadOnly("the store was opened read-only")
        if self.store.health.problem is not None and not self.store.health.lasting:
            await asyncio.to_thread(self.store.check_space)
        if self.store.search_off:
            await asyncio.to_thread(self.store.restore_search)

    async def _push(self, report: SyncReport) -> None:
        repos = self.store.repos
        client_id = await asyncio.to_thread(repos.account.client_id)
        while True:
            batch = await asyncio.to_thread(repos.outbox.pending, PUSH_BATCH)
            if not batch:
                return
            await asyncio.to_thread(repos.outbox.note_attempt, [e.seq for e in batch])
            ready = await self._with_uploads(batch, report)
            if ready:
                await self._push_batch(client_id, ready, report)

    async def _with_uploads(
        self, batch: list[OutboxEntry], report: SyncReport
    ) -> list[OutboxEntry]:
        """Send the files the batch's changes refer to, then point the changes at the hub's
        copies. A file the hub refuses refuses its change, with the hub's reason; a
        network failure stops here, and the same files are sent on the next try."""
        uploads = self.store.repos.uploads
        ready = []
        for entry in batch:
            refused: Rejection | None = None
            for staged in await asyncio.to_thread(
                uploads.waiting, entry.args.get("attachments") or []
            ):
                if staged.error:
                    refused = Rejection.model_validate_json(staged.error)
                    break
                data = await asyncio.to_thread(uploads.data, staged.local_id)
                report.requests += 1
                try:
                    attachment = await self.client.upload(
                        staged.filename, staged.content_type, data, key=staged.local_id
                    )
                except Rejected as error:
                    problem = error.problem
                    refused = Rejection(
                        code="attachment_refused",
                        detail=(problem.detail or problem.title) if problem else str(error),
                    )
                    await asyncio.to_thread(uploads.refused, staged.local_id, refused)
                    break
                await asyncio.to_thread(uploads.uploaded, staged.local_id, attachment)
            if refused is not None:
                await asyncio.to_thread(self._reject, entry, refused)
                report.rejected += 1
                continue
            ready.append(replace(entry, args=await asyncio.to_thread(uploads.resolve, entry.args)))
        return ready

    async def _push_batch(
        self, client_id: str, batch: list[OutboxEntry], report: SyncReport
    ) -> None:
        """Push a batch. If the hub refuses the request as a whole (too large, malformed),
        halve it until the one entry at fault is found and rejected with the reason; the
        others go through. Any other 4xx is a passing fault (a proxy, a deploy)."""
        repos = self.store.repos
        report.requests += 1
        try:
            response = await self.client.push(client_id, [e.to_wire() for e in batch])
        except Rejected as error:
            status = error.problem.status if error.problem else 400
            if status not in REQUEST_REFUSED:
                raise ServerError(str(error), problem=error.problem) from error
            if len(batch) > 1:
                half = len(batch) // 2
                await self._push_batch(client_id, batch[:half], report)
                await self._push_batch(client_id, batch[half:], report)
                return
            refused = Rejection(code="refused", detail=str(error))
            await asyncio.to_thread(self._reject, batch[0], refused)
            report.rejected += 1
            return
        await asyncio.to_thread(repos.applier.apply_results, response.results)
        report.pushed += sum(1 for r in response.results if r.status != "rejected")
        report.rejected += sum(1 for r in response.results if r.status == "rejected")

    def _reject(self, entry: OutboxEntry, refused: Rejection) -> None:
        self.store.repos.applier.apply_results(
            [MutationResult(seq=entry.seq, key=entry.key, status="rejected", error=refused)]
        )

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
        # Starting from nothing (first sync, another account) is a reset too: what the
        # device held may include articles whose tombstones the hub no longer keeps.
        fresh = cursor is None
        while True:
            report.requests += 1
            if name == "private":
                page = await self.client.pull(cursor, PULL_LIMIT)
            else:
                page = await self.client.kb_changes(cursor, PULL_LIMIT)
            await asyncio.to_thread(
                repos.applier.apply_changes,
                name,
                page.changes,
                page.cursor,
                reset=page.reset or fresh,
            )
            fresh = False
            report.pulled += len(page.changes)
            cursor = page.cursor
            if not page.has_more:
                return
