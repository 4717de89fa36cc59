"""Live events as Server-Sent Events: `GET /v1/events`, a customer's; `GET /v1/events/public`,
the incidents, for an app without a sign-in (which alerts on those that concern it).

A customer holds `streams_per_customer` streams at once and an address
`streams_per_client`: one more ends the oldest with a `replaced` message whose `retry`
asks its client to stay away a while, so two devices do not take turns closing each other's
stream."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse
from fastapi.types import DecoratedCallable
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.concurrency import run_in_threadpool

from app.backend.crud import auth, retention, subscriptions
from app.backend.crud import events as event_log
from app.backend.deps import CustomerId, HubDep, bearer_token, counted_address
from app.backend.event_bus import EventBus, Stream
from app.backend.hub import Hub
from app.schemas import Event, Subscriptions

router = APIRouter(prefix="/v1", tags=["events"])
HEARTBEAT_SECONDS = 15.0
REPLAY_LIMIT = 1000
RETRY_MS = 3000
REPLACED_RETRY_MS = 60_000  # as long as the app's own periodic sync: it misses nothing
REPLACED = f"retry: {REPLACED_RETRY_MS}\nevent: replaced\ndata: {{}}\n\n".encode()

# Where an event stream resumes: the SSE reconnect's header.
LastEventId = Annotated[
    int | None,
    Header(ge=0, le=2**63 - 1, description="Resume after this event (SSE reconnect)."),
]


def _event_stream(path: str) -> Callable[[DecoratedCallable], DecoratedCallable]:
    """The route of an event stream: an SSE answer (`_response`)."""
    return router.get(
        path,
        response_class=StreamingResponse,
        responses={200: {"content": {"text/event-stream": {}}}},
    )


def sse(event: Event) -> bytes:
    return f"id: {event.id}\nevent: {event.kind}\ndata: {event.model_dump_json()}\n\n".encode()


def _replay(hub: Hub, customer_id: str | None, after: int | None) -> tuple[list[Event], int, int]:
    """The events after `after` for this customer (all, to be filtered, for none), none
    when starting now; the latest id; and the floor below which events were pruned."""
    with hub.db.read() as conn:
        found = (
            event_log.events_after(
                conn, after=after, limit=REPLAY_LIMIT + 1, customer_id=customer_id
            )
            if after is not None
            else []
        )
        latest = event_log.latest_event(conn)
        floor = retention.event_floor(conn)
    return found, latest, floor


def _still_signed_in(hub: Hub, token: str, customer_id: str) -> bool:
    """False once the session is signed out or revoked. While the database cannot be
    reached the stream stays open (its events resume when the database does)."""
    try:
        with hub.db.read() as conn:
            info = auth.resolve_token(conn, token=token, settings=hub.settings)
    except (OperationalError, InterfaceError):  # no server, or a connection it dropped
        return True
    return info is not None and info.customer_id == customer_id


async def _stream(
    bus: EventBus,
    stream: Stream,
    hub: Hub,
    after: int | None,
    alive: Callable[[], Awaitable[bool]],
) -> AsyncIterator[bytes]:
    """The stream's events from `after`, then live; it ends when `alive` says so."""
    customer_id = stream.customer_id
    try:
        yield f"retry: {RETRY_MS}\n: connected\n\n".encode()
        # The stream is open before the log is read, so nothing falls between the two.
        found, latest, floor = await run_in_threadpool(_replay, hub, customer_id or None, after)
        last = latest if after is None else after
        if after is None:
            # Where this stream starts: a reconnect resumes here even if no event came.
            yield f"id: {latest}\n: from now\n\n".encode()
        elif after > latest or after < floor:
            # An id this hub never gave (a restored database), or one older than the
            # events it keeps (pruned): start over from now.
            yield f"id: {latest}\nevent: resync\ndata: {{}}\n\n".encode()
            last = latest
        else:
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
        while not (stream.overflowed or stream.replaced):
            try:
                live = await asyncio.wait_for(stream.queue.get(), HEARTBEAT_SECONDS)
            except TimeoutError:
                if not await alive():
                    return
                yield b": heartbeat\n\n"
                continue
            if live is not None and live.id > last:
                last = live.id
                yield sse(live)
        if stream.replaced:
            yield REPLACED
    finally:
        bus.close(stream)


@_event_stream("/events")
async def events(
    request: Request,
    customer_id: CustomerId,
    hub: HubDep,
    last_event_id: LastEventId = None,
    after: Annotated[
        int | None, Query(ge=0, le=2**63 - 1, description="Resume after this event.")
    ] = None,
) -> StreamingResponse:
    """Events that concern this customer: their cases and callbacks, every critical
    incident and the incidents touching what they follow. Without Last-Event-ID the stream
    starts now; with it, the events after it come first, none missed or repeated. A
    comment every 15 s keeps proxies from closing an idle stream."""
    await hub.events.start()

    def follows() -> Subscriptions:
        with hub.db.read() as conn:
            return subscriptions.get_subscriptions(conn, customer_id=customer_id)

    stream = _open(request, hub, customer_id, await run_in_threadpool(follows))
    token = bearer_token(request) or ""

    async def signed_in() -> bool:  # a signed-out or revoked session ends its stream
        return await run_in_threadpool(_still_signed_in, hub, token, customer_id)

    resume = last_event_id if last_event_id is not None else after
    return _response(_stream(hub.events, stream, hub, resume, signed_in))


@_event_stream("/events/public")
async def public_events(
    request: Request,
    hub: HubDep,
    last_event_id: LastEventId = None,
) -> StreamingResponse:
    """Every incident as it changes, for an app without a sign-in: it shows (and alerts
    on) those that concern it. Resumes like `/v1/events`; nothing personal is sent."""
    await hub.events.start()
    # No customer: public incidents, all.
    stream = _open(request, hub, "", Subscriptions())

    async def always() -> bool:
        return True

    return _response(_stream(hub.events, stream, hub, last_event_id, always))


def _open(request: Request, hub: Hub, customer_id: str, follows: Subscriptions) -> Stream:
    """A stream within this caller's limits (the oldest over them are replaced)."""
    return hub.events.open(
        customer_id,
        follows,
        address=counted_address(request),
        per_customer=hub.settings.streams_per_customer,
        per_address=hub.settings.streams_per_client,
    )


def _response(body: AsyncIterator[bytes]) -> StreamingResponse:
    return StreamingResponse(
        body,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
