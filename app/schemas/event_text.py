"""What an event says to the customer, in the customer's language: the same words in the
app's banner and OS notification as in the hub's push. An event that tells the customer
nothing (a callback just booked, a case change that is not an agent's reply) says None.

The company's own words (an incident's title and update) come in the customer's language
through `localized`'s rule; the few fixed phrases around them are in the `events`
gettext catalogs (`app/schemas/locales`), which the hub and the app both read. A
language with no catalog reads in English."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.schemas.events import Event
from app.schemas.localized import text_for
from app.schemas.po_catalogs import PoCatalogs

# The fixed phrases: a callback's end ("completed", "missed") and the reminder a few
# minutes before a scheduled call, each a title and a body; and the words of the push's
# reminder, which says whom and when.
PHRASES = PoCatalogs(Path(__file__).parent / "locales", "events")
CALLBACK_ENDS = ("reminder", "completed", "missed")


def phrase(locale: str | None, key: str, **values: object) -> str:
    """A fixed phrase in `locale` (its language, else English), with `values` filled in."""
    return PHRASES.tr(locale, key, **values)


@dataclass(frozen=True)
class EventText:
    """`route` is the app's address of what the event is about."""

    title: str
    body: str
    route: str


def event_text(event: Event, locale: str | None = None) -> EventText | None:
    """An incident: its title and the first paragraph of its latest update, in `locale`
    where the company translated them. A case: its number and subject, and the agent's
    reply. A callback: its end, or the reminder. `locale` None: the default language."""
    data = event.data
    if event.kind == "incident":
        updates = data.get("updates") or [{}]
        latest = text_for(updates[0], "body", locale, default="").split("\n\n")[0]
        title = text_for(data, "title", locale, default="")
        return EventText(title, latest, f"/status/{event.entity_id}")
    if event.kind == "case":
        messages = data.get("messages") or []
        if not messages or messages[-1].get("author") != "agent":
            return None
        title = f"#{data.get('number')} {data.get('subject', '')}"
        return EventText(title, str(messages[-1].get("body", "")), f"/cases/{event.entity_id}")
    if event.kind in ("callback", "reminder"):
        what = "reminder" if event.kind == "reminder" else str(data.get("status"))
        if what not in CALLBACK_ENDS:
            return None
        title, body = phrase(locale, f"{what}_title"), phrase(locale, f"{what}_body")
        return EventText(title, body, f"/callbacks/{event.entity_id}")
    return None
