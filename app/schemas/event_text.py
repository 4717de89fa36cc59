"""What an event says to the customer, in the customer's language: the same words in the
app's banner and OS notification as in the hub's push. An event that tells the customer
nothing (a callback just booked, a case change that is not an agent's reply) says None.

The company's own words (an incident's title and update) come in the customer's language
through `localized`'s rule; the few fixed phrases around them are below, per language.
They are kept here as data rather than in a gettext catalog: the hub says them too and
never loads the app's catalogs, and they are a dozen lines. A language missing here
reads in English."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.schemas.events import Event
from app.schemas.localized import pick, text_for

# The fixed phrases by language: a callback's end ("completed", "missed") and the reminder
# a few minutes before a scheduled call, as (title, body); and the words of the push's
# reminder, which says whom and when.
PHRASES: dict[str, dict[str, Any]] = {
    "en": {
        "completed": ("Callback completed", "Thanks for talking to us."),
        "missed": ("We missed you", "We called but could not reach you. Book another time."),
        "reminder": ("Your callback is soon", "We will call you in a few minutes."),
        "call_number": "We will call the number ending {digits} {when}.",
        "call_you": "We will call you {when}.",
        "soon": "soon",
        "in_a_minute": "in about a minute",
        "in_minutes": "in about {minutes} minutes",
    },
    "es": {
        "completed": ("Llamada completada", "Gracias por hablar con nosotros."),
        "missed": (
            "No pudimos hablar contigo",
            "Te llamamos pero no contestaste. Pide otra hora.",
        ),
        "reminder": ("Tu llamada es pronto", "Te llamaremos en unos minutos."),
        "call_number": "Llamaremos al número que termina en {digits} {when}.",
        "call_you": "Te llamaremos {when}.",
        "soon": "pronto",
        "in_a_minute": "en aproximadamente un minuto",
        "in_minutes": "en aproximadamente {minutes} minutos",
    },
    "fr": {
        "completed": ("Rappel terminé", "Merci d'avoir échangé avec nous."),
        "missed": (
            "Nous vous avons manqué",
            "Nous avons appelé sans vous joindre. Choisissez un autre moment.",
        ),
        "reminder": ("Votre rappel approche", "Nous vous appellerons dans quelques minutes."),
        "call_number": "Nous appellerons le numéro se terminant par {digits} {when}.",
        "call_you": "Nous vous appellerons {when}.",
        "soon": "bientôt",
        "in_a_minute": "dans environ une minute",
        "in_minutes": "dans environ {minutes} minutes",
    },
}
DEFAULT = "en"


def phrase(locale: str | None, key: str, **values: object) -> str:
    """A fixed phrase in `locale` (its language, else English), with `values` filled in."""
    words = pick(PHRASES, locale) or PHRASES[DEFAULT]
    return str(words.get(key, PHRASES[DEFAULT][key])).format(**values)


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
        if what not in ("reminder", "completed", "missed"):
            return None
        words = pick(PHRASES, locale) or PHRASES[DEFAULT]
        title, body = words.get(what, PHRASES[DEFAULT][what])
        return EventText(title, body, f"/callbacks/{event.entity_id}")
    return None
