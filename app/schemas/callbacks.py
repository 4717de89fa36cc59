"""Callback queues, bookable slots and booked callbacks."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import Field

from app.schemas.booking import BookingRef, LanguageTag
from app.schemas.common import UtcTime, WireModel
from app.schemas.localized import Locale, translations_field

# A phone number in international (E.164) form: '+', a country code, at most 15 digits.
E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def international_phone(text: str) -> str | None:
    """The number a callback goes to as the hub stores it: `text` without the spaces,
    dashes, brackets and dots people type, if that is in E.164 form; None if not."""
    phone = "".join(ch for ch in text if ch not in " -().")
    return phone if E164.match(phone) else None


class CallbackMode(StrEnum):
    asap = "asap"
    slot = "slot"


class CallbackStatus(StrEnum):
    requested = "requested"
    scheduled = "scheduled"
    completed = "completed"
    cancelled = "cancelled"
    missed = "missed"


# A call still to come: it can be cancelled or moved, and is the customer's one open
# callback. Every other status is final.
ACTIVE_STATUSES = (CallbackStatus.requested.value, CallbackStatus.scheduled.value)


def initial_status(mode: CallbackMode) -> CallbackStatus:
    """A new callback's status: an ASAP one waits its turn, a slot one has its time."""
    return CallbackStatus.requested if mode is CallbackMode.asap else CallbackStatus.scheduled


class CallbackQueueText(WireModel):
    """A queue's text in one language; a field left out reads in the default one."""

    name: str | None = None
    description: str | None = None


class CallbackQueue(WireModel):
    id: str
    name: str
    description: str = ""
    time_zone: str = Field(description="IANA time zone the queue's hours are in.")
    slot_minutes: int
    min_notice_minutes: int
    horizon_days: int
    hours: dict[str, list[list[str]]] = Field(
        default_factory=dict, description="Weekday ('mon'..'sun') -> local [open, close] pairs."
    )
    position: int = 0
    translations: dict[Locale, CallbackQueueText] = translations_field()


class Slot(WireModel):
    start: UtcTime
    end: UtcTime
    remaining: int = Field(description="Bookings still possible in this slot.")


class AsapEstimate(WireModel):
    available: bool
    wait_minutes: int | None = None
    reason: str | None = Field(None, description="Why ASAP is not available now.")
    opens_at: UtcTime | None = Field(
        None, description="When ASAP callbacks are next possible, if known (closed now)."
    )
    # The honest wait (README, "Honest waits"); `wait_minutes` is its mean, for old apps.
    low_minutes: int | None = Field(
        None, description="Early end of the likely wait (8 in 10 calls come within the range)."
    )
    high_minutes: int | None = Field(None, description="Late end of the likely wait.")
    past_closing: bool = Field(
        False, description="The wait may run past `closes_at`: the call may come next opening."
    )
    closes_at: UtcTime | None = Field(None, description="When the queue closes today (open now).")
    next_opening: UtcTime | None = Field(
        None, description="The first staffed slot of the next opening, when past closing."
    )
    slots_first: bool = Field(
        False,
        description="The queue is over capacity (the wait may run past closing, or its "
        "early end is an hour or more away and a free slot starts sooner): a booked time "
        "is offered first.",
    )


class Availability(WireModel):
    queue: CallbackQueue
    asap: AsapEstimate
    slots: list[Slot]
    next_cursor: str | None = Field(None, description="Pass as `from` to get the next page.")


class Callback(WireModel):
    id: str
    queue_id: str
    mode: CallbackMode
    status: CallbackStatus
    phone: str
    slot_start: UtcTime | None = None
    slot_end: UtcTime | None = None
    note: str | None = None
    case_id: str | None = None
    booking_ref: BookingRef | None = None
    language: LanguageTag | None = Field(None, description="BCP 47 tag the customer speaks.")
    client_ref: str | None = None
    created_at: UtcTime
    updated_at: UtcTime
