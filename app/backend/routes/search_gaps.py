"""Searches that found nothing, as devices send them: counts only, no account."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response

from app.backend.crud import search_gaps
from app.backend.deps import HubDep, counted_address
from app.schemas.console import SearchGapsIn

router = APIRouter(prefix="/v1", tags=["knowledge base"])


@router.post("/search-gaps", status_code=204, response_class=Response)
def send_search_gaps(
    body: SearchGapsIn,
    request: Request,
    hub: HubDep,
    idempotency_key: Annotated[str | None, Header(min_length=8, max_length=100)] = None,
) -> Response:
    """Add a device's counts of help searches that found nothing to the sums. No account
    is needed and none is looked at: a token sent along is ignored, so the sums never say
    who searched. Queries that look like an email address or hold a long number are
    dropped. A batch sent again under the same `Idempotency-Key` is counted once.
    Limited per address (429 with Retry-After)."""
    address = counted_address(request)
    if address is not None:
        hub.limiter.hit("search-gaps", address, hub.settings.search_gaps_per_client)
    with hub.db.write() as conn:
        search_gaps.record_gaps(
            conn, locale=body.locale, counts=body.counts, batch_key=idempotency_key
        )
    return Response(status_code=204)
