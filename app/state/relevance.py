"""Which incidents concern a customer, given what they follow."""

from __future__ import annotations

from app.schemas import Impact, Incident, Subscriptions


def affects(incident: Incident, subscriptions: Subscriptions) -> bool:
    """Whether an incident concerns a customer: every critical one does; otherwise it must
    touch a subscribed component or key. Without subscriptions, every incident does."""
    if incident.impact is Impact.critical:
        return True
    if not subscriptions.components and not subscriptions.keys:
        return True
    keys = {k.upper() for k in subscriptions.keys}
    return bool(
        set(incident.components) & set(subscriptions.components)
        or {k.upper() for k in incident.keys} & keys
    )
