"""What an event says to the customer: the same words in the app's banner and OS
notification as in the hub's push. An event that tells the customer nothing (a callback
just booked, a case change that is not an agent's reply) says None."""

from __future__ import annotations

from dataclasses import dataclass

from app.schemas.events import Event

# What a callback's end says ("completed", "missed"), and a reminder a few minutes before
# a scheduled call, by language.
CALLBACK_TEXT = {
    "en": {
        "completed": ("Callback completed", "Thanks for talking to us."),
        "missed": ("We missed you", "We called but could not reach you. Book another time."),
        "reminder": ("Your callback is soon", "We will call you in a few minutes."),
    },
    "es": {
        "completed": ("Llamada completada", "Gracias por hablar con nosotros."),
        "missed": (
            "No pudimos hablar contigo",
            "Te llamamos pero no contestaste. Pide otra hora.",
        ),
        "reminder": ("Tu llamada es pronto", "Te llamaremos en unos minutos."),
    },
}


@dataclass(frozen=True)
class EventText:
    """`route` is the app's address of what the event is about."""

    title: str
    body: str
    route: str


def event_text(event: Event, locale: str = "en") -> EventText | None:
    """An incident: its title and the first paragraph of its latest update. A case: its
    number and subject, and the agent's reply. A callback: its end, or the reminder."""
    data = event.data
    if event.kind == "incident":
        updates = data.get("updates") or [{}]
        latest = str(updates[0].get("body", "")).split("\n\n")[0]
        return EventText(str(data.get("title", "")), latest, f"/status/{event.entity_id}")
    if event.kind == "case":
        messages = data.get("messages") or []
        if not messages or messages[-1].get("author") != "agent":
            return None
        title = f"#{data.get('number')} {data.get('subject', '')}"
        return EventText(title, str(messages[-1].get("body", "")), f"/cases/{event.entity_id}")
    if event.kind in ("callback", "reminder"):
        what = "reminder" if event.kind == "reminder" else str(data.get("status"))
        text = CALLBACK_TEXT.get(locale, CALLBACK_TEXT["en"]).get(what)
        if text is None:
            return None
        return EventText(text[0], text[1], f"/callbacks/{event.entity_id}")
    return None
