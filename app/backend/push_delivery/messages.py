"""What a push says for an event of the log, or None when the event makes no push."""

from __future__ import annotations

from typing import Any

from app.backend.push_delivery.base import Device, PushMessage
from app.backend.util import now, parse_time
from app.schemas import Event, Impact
from app.schemas.event_text import event_text, phrase

# Free text (an incident's, an agent's reply) is cut to what a push service carries.
TITLE_MAX = 120
BODY_MAX = 240
INCIDENT_TTL = 24 * 3600
PRIVATE_TTL = 7 * 24 * 3600
REMINDER_TTL = 15 * 60  # a reminder that cannot arrive before the call is pointless


def message_for(event: Event, locale: str | None = None) -> PushMessage | None:
    """The event's words in `locale` (`event_text`; None: the company's default language),
    free text cut to what a push service carries (`TITLE_MAX`, `BODY_MAX`)."""
    text = event_text(event, locale)
    if text is None:
        return None
    if event.kind == "incident":
        title, body = text.title[:TITLE_MAX], text.body[:BODY_MAX]
        return _message(
            event,
            title,
            body,
            route=text.route,
            ttl=INCIDENT_TTL,
            topic="inc",
            urgent=event.data.get("impact") == Impact.critical.value,
        )
    if event.kind == "case":
        if not _just_added(event.data["messages"][-1], event.data):
            return None  # a later change (a status) to a case whose last word is an agent's
        title, body = text.title[:TITLE_MAX], text.body[:BODY_MAX]
        return _message(event, title, body, route=text.route, ttl=PRIVATE_TTL, topic="case")
    route = f"/callbacks/{event.entity_id}"
    if event.kind == "reminder":
        # The push says whom and when, which the app's own reminder leaves out.
        body = _reminder(str(event.data.get("phone", "")), event.data.get("slot_start"), locale)
        return _message(event, text.title, body, route=route, ttl=REMINDER_TTL, topic="cb")
    return _message(event, text.title, text.body, route=route, ttl=PRIVATE_TTL, topic="cb")


def _in_minutes(start: Any, locale: str | None) -> str:
    """When a call starting at `start` is, from now: "in about 12 minutes"."""
    try:
        minutes = round((parse_time(str(start)) - now()).total_seconds() / 60)
    except ValueError:
        return phrase(locale, "soon")
    if minutes <= 1:
        return phrase(locale, "in_a_minute")
    return phrase(locale, "in_minutes", minutes=minutes)


def _message(
    event: Event,
    title: str,
    body: str,
    *,
    route: str,
    ttl: int,
    topic: str,
    urgent: bool = False,
) -> PushMessage:
    """The push for `event`; `topic` names what a newer push replaces (one entity's)."""
    return PushMessage(
        title=title,
        body=body,
        route=route,
        kind=event.kind,
        entity_id=event.entity_id,
        version=event.version,
        ttl=ttl,
        topic=f"{topic}-{event.entity_id}"[:32],
        urgent=urgent,
    )


def _reminder(phone: str, start: Any, locale: str | None) -> str:
    """Whom and when, as a lock screen may show it: the number's last digits only."""
    when = _in_minutes(start, locale)
    if len(phone) < 4:
        return phrase(locale, "call_you", when=when)
    return phrase(locale, "call_number", digits=phone[-4:], when=when)


def _just_added(message: dict[str, Any], case: dict[str, Any]) -> bool:
    """Whether this change of the case is the one that added `message`: an agent's reply
    and the change it makes to the case carry the same time."""
    return bool(message.get("created_at") == case.get("updated_at"))


def pushes_for(event: Event, targets: list[Device]) -> list[tuple[Device, PushMessage]]:
    """Each device with the event's push in its language (made once per language); a
    device whose language makes no push is left out."""
    said: dict[str | None, PushMessage | None] = {}
    pushes = []
    for device in targets:
        if device.locale not in said:
            said[device.locale] = message_for(event, device.locale)
        message = said[device.locale]
        if message is not None:
            pushes.append((device, message))
    return pushes
