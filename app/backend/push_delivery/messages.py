"""What a push says for an event of the log, or None when the event makes no push."""

from __future__ import annotations

from typing import Any

from app.backend.push_delivery.base import PushMessage
from app.backend.util import now, parse_time
from app.schemas import Event, Impact

INCIDENT_TTL = 24 * 3600
PRIVATE_TTL = 7 * 24 * 3600
REMINDER_TTL = 15 * 60  # a reminder that cannot arrive before the call is pointless
# What a callback's end says (the hub's words; the app says it in the customer's language).
CALLBACK_ENDS = {
    "completed": ("Callback completed", "Thanks for talking to us."),
    "missed": ("We missed you", "We called but could not reach you. Book another time."),
}


def message_for(event: Event) -> PushMessage | None:
    data = event.data
    if event.kind == "incident":
        updates = data.get("updates") or [{}]
        return PushMessage(
            title=str(data.get("title", ""))[:120],
            body=str(updates[0].get("body", "")).split("\n\n")[0][:240],
            route=f"/status/{event.entity_id}",
            kind="incident",
            entity_id=event.entity_id,
            version=event.version,
            ttl=INCIDENT_TTL,
            topic=f"inc-{event.entity_id}"[:32],
            urgent=data.get("impact") == Impact.critical.value,
        )
    if event.kind == "case":
        messages = data.get("messages") or []
        if not messages or messages[-1].get("author") != "agent":
            return None
        if not _just_added(messages[-1], data):
            return None  # a later change (a status) to a case whose last word is an agent's
        return PushMessage(
            title=f"#{data.get('number')} {data.get('subject', '')}"[:120],
            body=str(messages[-1].get("body", ""))[:240],
            route=f"/cases/{event.entity_id}",
            kind="case",
            entity_id=event.entity_id,
            version=event.version,
            ttl=PRIVATE_TTL,
            topic=f"case-{event.entity_id}"[:32],
        )
    if event.kind == "callback" and data.get("status") in CALLBACK_ENDS:
        title, body = CALLBACK_ENDS[str(data["status"])]
        return _callback_message(event, title, body, PRIVATE_TTL)
    if event.kind == "reminder":
        phone = _masked(str(data.get("phone", "")))
        body = f"We will call {phone} {_in_minutes(data.get('slot_start'))}."
        return _callback_message(event, "Your callback is soon", body, REMINDER_TTL)
    return None


def _in_minutes(start: Any) -> str:
    """When a call starting at `start` is, from now: "in about 12 minutes"."""
    try:
        minutes = round((parse_time(str(start)) - now()).total_seconds() / 60)
    except ValueError:
        return "soon"
    return "in about a minute" if minutes <= 1 else f"in about {minutes} minutes"


def _callback_message(event: Event, title: str, body: str, ttl: int) -> PushMessage:
    return PushMessage(
        title=title,
        body=body,
        route=f"/callbacks/{event.entity_id}",
        kind=event.kind,
        entity_id=event.entity_id,
        version=event.version,
        ttl=ttl,
        topic=f"cb-{event.entity_id}"[:32],
    )


def _masked(phone: str) -> str:
    """A phone number as a lock screen may show it: its last digits only."""
    return f"the number ending {phone[-4:]}" if len(phone) >= 4 else "you"


def _just_added(message: dict[str, Any], case: dict[str, Any]) -> bool:
    """Whether this change of the case is the one that added `message`: an agent's reply
    and the change it makes to the case carry the same time."""
    return bool(message.get("created_at") == case.get("updated_at"))
