"""Who an incident not yet published would alert, and what its alert would say in each
language: the dispatcher's own rules (`recipients`, `messages`) applied to the incident
as it would be published (`status.draft_incident`), with nothing kept or sent."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import Connection, select

from app.backend.crud import events as event_log
from app.backend.db.tables import customers
from app.backend.push_delivery.messages import message_for
from app.backend.push_delivery.recipients import followed, recipients
from app.backend.util import format_time
from app.schemas import Event, Incident, Subscriptions
from app.schemas.console import Audience, NotificationPreview
from app.schemas.po_catalogs import SOURCE

# The language of the company's own text (an incident's title and body as written).
DEFAULT_LOCALE = SOURCE


def incident_event(incident: Incident) -> Event:
    """The event publishing `incident` appends to the log (`changes.record_change`)."""
    return Event(
        id=0,
        kind="incident",
        entity_id=incident.id,
        version=1,
        customer_id=None,
        data=incident.model_dump(mode="json"),
        created_at=format_time(incident.created_at),
    )


def audience(
    conn: Connection, incident: Incident, *, platforms: Collection[str], moment: datetime
) -> Audience:
    """The customers the incident concerns, the devices it would reach, those pushed to
    at `moment` (a platform the hub pushes to, outside quiet hours unless critical), and
    the alert in the company's language and in every one those customers and devices use."""
    event = incident_event(incident)
    follows = followed(conn)
    concerned: set[str] = set()
    locales = {DEFAULT_LOCALE}
    for row in conn.execute(select(customers.c.id, customers.c.locale)):
        wants = follows.get(row.id, Subscriptions())
        if event_log.concerns(event, customer_id=row.id, subscriptions=wants):
            concerned.add(row.id)
            locales.add(row.locale or DEFAULT_LOCALE)
    reached = recipients(conn, event, moment=moment, follows=follows)
    locales.update(r.device.locale or DEFAULT_LOCALE for r in reached)
    pushed = [r for r in reached if r.interrupts and r.device.platform in platforms]
    previews = []
    for locale in sorted(locales, key=lambda tag: (tag != DEFAULT_LOCALE, tag)):
        message = message_for(event, locale)
        if message is not None:
            said = NotificationPreview(locale=locale, title=message.title, body=message.body)
            previews.append(said)
    return Audience(
        customers=len(concerned),
        devices=len(reached),
        push_devices=len(pushed),
        previews=previews,
    )
