"""One sync: push the outbox in order, then pull every feed to its end. An engine syncs
what it is given: a device's personal store (its outbox and the customer's own feed), the
public store (status, help centre, callback queues), or both (a desktop or phone). A
server has one engine for the public store and one per browser for its personal store.

Blocking store calls run in a worker thread, so the event loop (and the UI) never waits on
SQLite; network calls are the client's, awaited here.

A full disk or a read-only store raises `StorageFull` / `StorageReadOnly` out of `sync`:
each page is stored with its cursor in one transaction, so a page that could not be
stored leaves the store as it was and is fetched again on the next try."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, replace

from app.api import HubClient, HubError, RateLimited, Rejected, ServerError, Unauthorized
from app.schemas import MutationResult, Rejection
from app.store import Database, PersonalStore, PublicStore, StorageError, StorageReadOnly
from app.store.outbox import OutboxEntry
from app.sync import alerts, gaps, pulls, votes
from app.sync.report import SyncReport

log = logging.getLogger("careline.sync")
PUSH_BATCH = 50
# Searches that found nothing go to the hub after a sync, at most this often (seconds).
GAPS_EVERY = 900.0
# Answers meaning "this request, as it is, will never be accepted".
REQUEST_REFUSED = frozenset({400, 413, 422})


@dataclass(frozen=True)
class Held:
    """What the stores hold that the sync status shows."""

    pending: int = 0
    failed: int = 0
    last_synced: str | None = None
    needs_sign_in: bool = False


class SyncEngine:
    def __init__(
        self,
        client: HubClient,
        *,
        public: PublicStore | None = None,
        personal: PersonalStore | None = None,
        gaps_every: float = GAPS_EVERY,
    ) -> None:
        self.client = client
        self.public = public
        self.personal = personal
        self.gaps_every = gaps_every
        self._gaps_tried: float | None = None
        self._lock = asyncio.Lock()

    async def sync(self) -> SyncReport:
        """Push then pull. Network failures propagate (the scheduler retries); a 401 puts
        the session into 'sign in again' and keeps the outbox. When only the push fails
        (the hub errs or is busy), the pulls still run and the error is raised after."""
        async with self._lock:
            await self._check_storage()
            report = SyncReport()
            personal = self.personal
            signed_in = False
            push_failure: HubError | None = None
            if personal is not None:
                signed_in = await asyncio.to_thread(personal.account.token) is not None
                try:
                    await votes.send(self.client, personal, report)
                    if signed_in:
                        await alerts.claim(self.client, personal, report)
                        await self._push(personal, report)
                    else:
                        await alerts.follow(self.client, personal, report)
                except Unauthorized:
                    await self._session_expired(personal, report)
                    signed_in = False
                except (ServerError, RateLimited) as error:
                    push_failure = error
            # Signed in on a desktop or phone, one feed brings public content and the
            # customer's own; otherwise the help centre and queues come on their own.
            both = self.public if signed_in else None
            if self.public is not None:
                await pulls.status(self.client, self.public, report)
                if both is None:
                    await pulls.queues(self.client, self.public, report)
                    await pulls.help_centre(self.client, self.public, report)
            if personal is not None and signed_in:
                try:
                    await pulls.customer(self.client, personal, report, public=both)
                except Unauthorized:
                    await self._session_expired(personal, report)
            if push_failure is not None:
                raise push_failure
            await self._send_gaps(report)
            return report

    async def _send_gaps(self, report: SyncReport) -> None:
        """Counts of searches that found nothing, when due: a failure waits for the next
        time and never fails the sync that went before."""
        moment = time.monotonic()
        if self.public is None or (
            self._gaps_tried is not None and moment - self._gaps_tried < self.gaps_every
        ):
            return
        self._gaps_tried = moment
        try:
            await gaps.send(self.client, self.public, report)
        except (HubError, StorageError) as error:
            log.info("search gaps not sent: %s", error)

    async def send_votes(self) -> None:
        """Votes on articles, sent at once (the rest of the outbox waits for the next
        sync). Network failures propagate with the votes still queued."""
        if self.personal is not None:
            async with self._lock:
                await votes.send(self.client, self.personal, SyncReport())

    def held(self) -> Held:
        """Changes waiting or refused, the last sync, whether to sign in again (reads
        the stores: call it in a worker thread)."""
        synced = [store.feeds.last_synced() for store in (self.public, self.personal) if store]
        last = max((s for s in synced if s), default=None)
        if self.personal is None:
            return Held(last_synced=last)
        counts = self.personal.outbox.counts()
        return Held(
            counts["pending"], counts["rejected"], last, self.personal.account.needs_sign_in()
        )

    async def _session_expired(self, personal: PersonalStore, report: SyncReport) -> None:
        await asyncio.to_thread(personal.account.session_expired)
        report.needs_sign_in = True

    async def _check_storage(self) -> None:
        """Fetch nothing that cannot be stored. After a refused write, check for room
        first (raising while there is none); put back the search index triggers if a bulk
        load was cut short by a full disk."""
        for db in self._databases():
            if db.read_only:
                raise StorageReadOnly("the store was opened read-only")
            if db.health.problem is not None and not db.health.lasting:
                await asyncio.to_thread(db.check_space)
        if self.public is not None and self.public.content.search_off:
            await asyncio.to_thread(self.public.content.restore_search)

    def _databases(self) -> list[Database]:
        return [store.db for store in (self.public, self.personal) if store is not None]

    async def _push(self, personal: PersonalStore, report: SyncReport) -> None:
        client_id = await asyncio.to_thread(personal.account.client_id)
        while True:
            batch = await asyncio.to_thread(personal.outbox.pending, PUSH_BATCH)
            if not batch:
                return
            await asyncio.to_thread(personal.outbox.note_attempt, [e.seq for e in batch])
            ready = await self._with_uploads(personal, batch, report)
            if ready:
                await self._push_batch(personal, client_id, ready, report)

    async def _with_uploads(
        self, personal: PersonalStore, batch: list[OutboxEntry], report: SyncReport
    ) -> list[OutboxEntry]:
        """Send the files the batch's changes refer to, then point the changes at the hub's
        copies. A file the hub refuses refuses its change, with the hub's reason; a
        network failure stops here, and the same files are sent on the next try."""
        uploads = personal.uploads
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
                await asyncio.to_thread(_reject, personal, entry, refused)
                report.rejected += 1
                continue
            ready.append(replace(entry, args=await asyncio.to_thread(uploads.resolve, entry.args)))
        return ready

    async def _push_batch(
        self, personal: PersonalStore, client_id: str, batch: list[OutboxEntry], report: SyncReport
    ) -> None:
        """Push a batch. If the hub refuses the request as a whole (too large, malformed),
        halve it until the one entry at fault is found and rejected with the reason; the
        others go through. Any other 4xx is a passing fault (a proxy, a deploy)."""
        report.requests += 1
        try:
            response = await self.client.push(client_id, [e.to_wire() for e in batch])
        except Rejected as error:
            status = error.problem.status if error.problem else 400
            if status not in REQUEST_REFUSED:
                raise ServerError(str(error), problem=error.problem) from error
            if len(batch) > 1:
                half = len(batch) // 2
                await self._push_batch(personal, client_id, batch[:half], report)
                await self._push_batch(personal, client_id, batch[half:], report)
                return
            refused = Rejection(code="refused", detail=str(error))
            await asyncio.to_thread(_reject, personal, batch[0], refused)
            report.rejected += 1
            return
        await asyncio.to_thread(personal.applier.apply_results, response.results)
        report.pushed += sum(1 for r in response.results if r.status != "rejected")
        report.rejected += sum(1 for r in response.results if r.status == "rejected")


def _reject(personal: PersonalStore, entry: OutboxEntry, refused: Rejection) -> None:
    personal.applier.apply_results(
        [MutationResult(seq=entry.seq, key=entry.key, status="rejected", error=refused)]
    )
