"""What `/v1/events` streams: one change to an incident, a case or a callback, with its
content, so a device need not fetch it."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field

from app.schemas.common import WireModel
from app.schemas.customers import Subscriptions


class Event(WireModel):
    id: int = Field(description="Sequence id; resume a stream after it with Last-Event-ID.")
    kind: str = Field(description="incident | case | callback")
    entity_id: str
    version: int
    customer_id: str | None = Field(None, description="Set for a customer's own entities.")
    data: dict[str, Any] = Field(description="The entity as `/v1/sync/pull` carries it.")
    created_at: str


def quiet_now(subscriptions: Subscriptions, moment: datetime) -> bool:
    """Whether `moment` falls in the customer's quiet hours (which may span midnight),
    read in their time zone."""
    if not subscriptions.quiet_hours:
        return False
    try:
        zone = ZoneInfo(subscriptions.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    start, end = (time.fromisoformat(t) for t in subscriptions.quiet_hours)
    now = moment.astimezone(zone).time()
    return start <= now < end if start <= end else now >= start or now < end
