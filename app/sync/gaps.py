"""Searches that found nothing, sent as counts: after a sync, at most every so often, each
batch under its own key until the hub has answered (see `app.store.search_gaps`). A batch
the hub refuses for good, or that is no valid request, is dropped; on any other failure it
stays, to go as it is next time. Never sent with the customer's token."""

from __future__ import annotations

import asyncio
import logging

from pydantic import ValidationError

from app.api import HubClient, Rejected
from app.schemas.console import SearchGapsIn
from app.store import PublicStore
from app.sync.report import SyncReport

log = logging.getLogger("careline.sync")
# Answers meaning "this batch, as it is, will never be accepted" (any other 4xx may pass).
REFUSED_FOR_GOOD = frozenset({400, 413, 422})


async def send(client: HubClient, public: PublicStore, report: SyncReport) -> None:
    """Network and hub failures propagate, with the unanswered batches kept."""
    for batch in await asyncio.to_thread(public.gaps.outgoing):
        try:
            body = SearchGapsIn(locale=batch.locale, counts=batch.counts)
        except ValidationError:
            log.warning("search gaps in %r dropped: not a valid batch", batch.locale)
            await asyncio.to_thread(public.gaps.sent, batch.key)
            continue
        report.requests += 1
        try:
            await client.search_gaps(body, key=batch.key)
        except Rejected as error:
            if error.problem is None or error.problem.status not in REFUSED_FOR_GOOD:
                raise
            log.warning("search gaps in %r refused: %s", batch.locale, error)
        await asyncio.to_thread(public.gaps.sent, batch.key)
