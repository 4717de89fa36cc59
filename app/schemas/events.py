"""What `/v1/events` streams: one change to an incident, a case or a callback, with its
content, so a device need not fetch it."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from app.schemas.common import WireModel
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
