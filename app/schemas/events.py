"""What `/v1/events` streams: one change to an incident, a case or a callback, with its
content, so a device need not fetch it."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field

from app.schemas.common import WireModel
from app.schemas.customers import Subscriptions
from app.schemas.sync import Change


class Event(WireModel):
    id: int = Field(description="Sequence id; resume a stream after it with Last-Event-ID.")
    kind: str = Field(
        description="incident | case | callback | reminder (a scheduled callback is soon)"
    )
    entity_id: str
    version: int
    customer_id: str | None = Field(None, description="Set for a customer's own entities.")
    data: dict[str, Any] = Field(
        description="The entity as `/v1/sync/pull` carries it, except that a case holds only "
        "the messages this change added (`messages_complete` false)."
    )
    created_at: str

    def as_change(self) -> Change:
        """The entity as a pulled change would carry it."""
        return Change(
            entity=self.kind, op="upsert", id=self.entity_id, version=self.version, data=self.data
        )


def quiet_now(subscriptions: Subscriptions, moment: datetime) -> bool:
    """Whether `moment` falls in the customer's quiet hours (which may span midnight),
    read in their time zone."""
    if not subscriptions.quiet_hours:
        return False
    try:
        zone = ZoneInfo(subscriptions.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    start, end = (_minutes(t) for t in subscriptions.quiet_hours)
    if start is None or end is None:
        return False  # a value this version cannot read never silences anything
    local = moment.astimezone(zone)
    now = local.hour * 60 + local.minute
    return start <= now < end if start <= end else now >= start or now < end


def _minutes(clock: str) -> int | None:
    """'7:00' -> 420, '24:00' -> 1440; None when it is not a time of day."""
    hours, _, minutes = clock.partition(":")
    if not (hours.isdigit() and minutes.isdigit()):
        return None
    value = int(hours) * 60 + int(minutes)
    return value if 0 <= value <= 1440 and int(minutes) < 60 else None
