"""Callback queues and availability (public); a customer's own callbacks."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.backend.caching import cached_json, encode
from app.backend.crud import availability, callbacks, queues
from app.backend.deps import CustomerId, HubDep, counted_address
from app.backend.problems import ProblemError
from app.schemas import Availability, Callback, CallbackQueue, Page

router = APIRouter(prefix="/v1/callbacks", tags=["callbacks"])


@router.get("/queues", response_model=Page[CallbackQueue])
def list_queues(request: Request, hub: HubDep) -> Response:
    """The callback queues (cacheable: every device and app server fetches them)."""
    with hub.db.read() as conn:
        found = Page[CallbackQueue](items=queues.list_queues(conn))
    return cached_json(request, encode(found.model_dump(mode="json")))


@router.get("/availability", response_model=Availability)
def get_availability(
    request: Request,
    hub: HubDep,
    queue: Annotated[str, Query(min_length=1, max_length=100)],
    from_: Annotated[datetime | None, Query(alias="from")] = None,
    to: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Response:
    """Free slots in [from, to) (default: the queue's whole booking horizon) and the
    current ASAP wait. At most 31 days from `from` are looked at (a longer range is cut
    there, by default); page on with `from=<next_cursor>`. Requests per address are
    limited (429 with Retry-After)."""
    address = counted_address(request)
    if address is not None:
        hub.limiter.hit("availability", address, hub.settings.availability_per_client)
    if (from_ and from_.tzinfo is None) or (to and to.tzinfo is None):
        raise ProblemError(
            422, "Invalid time", "Times need an offset, e.g. 2026-01-05T09:00Z.", slug="validation"
        )
    with hub.db.read() as conn:
        found = availability.availability(
            conn,
            queue_id=queue,
            start=from_,
            end=to,
            limit=limit,
            max_days=hub.settings.availability_max_days,
        )
    return cached_json(request, encode(found.model_dump(mode="json")))


@router.get("", response_model=Page[Callback])
def my_callbacks(customer_id: CustomerId, hub: HubDep) -> Page[Callback]:
    """The signed-in customer's callbacks, newest first."""
    with hub.db.read() as conn:
        return Page[Callback](items=callbacks.list_callbacks(conn, customer_id=customer_id))


@router.get("/{callback_id}", response_model=Callback)
def my_callback(callback_id: str, customer_id: CustomerId, hub: HubDep) -> Callback:
    with hub.db.read() as conn:
        return callbacks.get_own_callback(conn, customer_id=customer_id, callback_id=callback_id)
