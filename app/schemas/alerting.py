"""Who is alerted about an incident, and when: the rules the hub applies to its event
streams and pushes, and the app to its Status page and notifications."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.schemas.customers import Subscriptions
from app.schemas.events import Event
from app.schemas.status import Impact, Incident


def follows_anything(subscriptions: Subscriptions) -> bool:
    return bool(subscriptions.components or subscriptions.keys)


def touches(subscriptions: Subscriptions, components: Iterable[str], keys: Iterable[str]) -> bool:
    """Whether an incident about `components`, tagged with `keys` (an airport, a flight;
    in any case), touches a followed service or key."""
    followed = {k.upper() for k in subscriptions.keys}
    return bool(
        set(components) & set(subscriptions.components) or {str(k).upper() for k in keys} & followed
    )


def alerted(
    subscriptions: Subscriptions,
    *,
    impact: str | None,
    components: Iterable[str],
    keys: Iterable[str],
) -> bool:
    """Whether a customer is alerted about an incident: every critical one reaches them;
    otherwise it must touch what they follow. Following nothing, every incident does."""
    if impact == Impact.critical.value or not follows_anything(subscriptions):
        return True
    return touches(subscriptions, components, keys)


def affects(incident: Incident, subscriptions: Subscriptions) -> bool:
    """`alerted`, for an incident the app has read."""
    return alerted(
        subscriptions, impact=incident.impact, components=incident.components, keys=incident.keys
    )


def critical(event: Event) -> bool:
    return event.kind == "incident" and event.data.get("impact") == Impact.critical.value


def may_interrupt(event: Event, subscriptions: Subscriptions, moment: datetime) -> bool:
    """Whether an event may interrupt the customer at `moment` (an OS notification, a
    push): a critical incident always, anything else outside their quiet hours."""
    return critical(event) or not quiet_now(subscriptions, moment)


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
