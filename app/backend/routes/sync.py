"""The sync protocol: pull changes, push the outbox."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from starlette.concurrency import run_in_threadpool

from app.backend.crud import changes, subscriptions
from app.backend.deps import CustomerId, HubDep
from app.backend.idle_sync import nothing_new
from app.backend.sync_push import apply_push
from app.schemas import ChangeFeed, MutationName, PushRequest, PushResponse

router = APIRouter(prefix="/v1/sync", tags=["sync"])

# A page of a change feed (this one, and the knowledge base's): where it starts, how long.
FeedCursor = Annotated[str | None, Query(max_length=20)]
FeedLimit = Annotated[int, Query(ge=1, le=1000)]
FEED_PAGE = 500


@router.get("/pull", response_model=ChangeFeed)
async def pull(
    customer_id: CustomerId,
    hub: HubDep,
    cursor: FeedCursor = None,
    limit: FeedLimit = FEED_PAGE,
    scope: Literal["all", "own"] = "all",
) -> ChangeFeed | Response:
    """Public content and this customer's own data changed after `cursor`, in commit order
    (`scope=own`: the customer's own data only, for an app that fetches public content
    once for many customers). `reset: true` means the cursor is unknown or too old: drop
    local copies and apply."""
    nothing = nothing_new(hub, changes.parse_cursor(cursor))
    if nothing is not None:  # most often answered before routing (idle_sync.py)
        return Response(nothing, media_type="application/json")
    generation = hub.changes.generation  # before the read: see ChangeMark.learn

    def read() -> ChangeFeed:
        with hub.db.read() as conn:
            return changes.read_feed(
                conn, cursor=cursor, limit=limit, customer_id=customer_id, own_only=scope == "own"
            )

    feed = await run_in_threadpool(read)
    if not feed.has_more:
        hub.changes.learn(int(feed.cursor), generation)
    return feed


@router.post("/push", response_model=PushResponse)
def push(body: PushRequest, customer_id: CustomerId, hub: HubDep) -> PushResponse:
    """Apply the outbox in `seq` order; each mutation is idempotent by its `key`. Each
    mutation counts against the customer's write limit: a push over it gets a 429 and
    nothing of it is applied (send it again after Retry-After)."""
    hub.limiter.hit(
        "writes", customer_id, hub.settings.writes_per_customer, cost=len(body.mutations)
    )
    pushed = apply_push(
        hub.db,
        customer_id=customer_id,
        request=body,
        max_case_messages=hub.settings.max_case_messages,
        booking_pattern=hub.settings.booking_ref_pattern,
        helpdesk=hub.channel_outbox.connector.name if hub.channel_outbox else None,
    )
    if any(m.name == MutationName.device_register for m in body.mutations):
        with hub.db.write() as conn:
            subscriptions.keep_latest_devices(
                conn, customer_id=customer_id, keep=hub.settings.devices_per_customer
            )
    return pushed
