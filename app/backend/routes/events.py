"""`GET /v1/events`: a customer's live events as Server-Sent Events."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from app.backend.crud import events as event_log
from app.backend.crud import subscriptions
from app.backend.deps import CustomerId, HubDep
from app.backend.event_bus import EventBus, Stream
from app.backend.hub import Hub
from app.schemas import Event

router = APIRouter(prefix="/v1", tags=["events"])
HEARTBEAT_SECONDS = 15.0
REPLAY_LIMIT = 1000
RETRY_MS = 3000


def sse(event: Event) -> bytes:
    return f"id: {event.id}\nevent: {event.kind}\ndata: {event.model_dump_json()}\n\n".encode()


def _replay(hub: Hub, customer_id: str, after: int | None) -> tuple[list[Event], int]:
    """The customer's events after `after` (none when starting now), and the latest id."""
    with hub.db.read() as conn:
        found = (
            event_log.events_after(
                conn, after=after, limit=REPLAY_LIMIT + 1, customer_id=customer_id
            )
            if after is not None
            else []
        )
        latest = event_log.latest_event(conn)
    return found, latest


async def _stream(
    bus: EventBus, stream: Stream, hub: Hub, customer_id: str, after: int | None
) -> AsyncIterator[bytes]:
    try:
        yield f"retry: {RETRY_MS}\n: connected\n\n".encode()
        # The stream is open before the log is read, so nothing falls between the two.
        found, latest = await run_in_threadpool(_replay, hub, customer_id, after)
        last = latest if after is None else after
        if after is not None:
            if len(found) > REPLAY_LIMIT:
                # Too far behind to replay: the device syncs everything instead.
                yield f"id: {latest}\nevent: resync\ndata: {{}}\n\n".encode()
                last = latest
            else:
                for event in found:
                    if event_log.concerns(
                        event, customer_id=customer_id, subscriptions=stream.subscriptions
                    ):
                        yield sse(event)
                    last = event.id
        while not stream.overflowed:
            try:
                event = await asyncio.wait_for(stream.queue.get(), HEARTBEAT_SECONDS)
            except TimeoutError:
                yield b": heartbeat\n\n"
                continue
            if event.id > last:
                last = event.id
                yield sse(event)
    finally:
        bus.close(stream)


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def events(
    customer_id: CustomerId,
    hub: HubDep,
    last_event_id: Annotated[
        int | None,
        Header(ge=0, le=2**63 - 1, description="Resume after this event (SSE reconnect)."),
    ] = None,
    after: Annotated[
        int | None, Query(ge=0, le=2**63 - 1, description="Resume after this event.")
    ] = None,
) -> StreamingResponse:
    """Events that concern this customer: their cases and callbacks, every critical
    incident and the incidents touching what they follow. Without Last-Event-ID the stream
    starts now; with it, the events after it come first, none missed or repeated. A
    comment every 15 s keeps proxies from closing an idle stream."""
    await hub.events.start()
    with hub.db.read() as conn:
        follows = subscriptions.get_subscriptions(conn, customer_id=customer_id)
    stream = hub.events.open(customer_id, follows)
    resume = last_event_id if last_event_id is not None else after
    return StreamingResponse(
        _stream(hub.events, stream, hub, customer_id, resume),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
