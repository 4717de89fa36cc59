"""Which incidents concern a customer, given what they follow, and how the Status page
orders them: what affects them first, every other active disruption after it, and the
all-clear only when nothing is active anywhere."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.schemas import (
    Component,
    ComponentState,
    Incident,
    IncidentKind,
    IncidentStatus,
    Subscriptions,
)
from app.schemas.alerting import follows_anything, touches

# Maintenance that is happening now (not only planned) disrupts like an incident.
ONGOING_MAINTENANCE = frozenset({IncidentStatus.in_progress, IncidentStatus.verifying})
FINISHED = frozenset({IncidentStatus.resolved, IncidentStatus.completed})


def is_finished(incident: Incident) -> bool:
    """Resolved incidents and completed maintenance: shown as done, whatever their impact."""
    return incident.resolved_at is not None or incident.status in FINISHED


def is_ongoing(incident: Incident) -> bool:
    """An incident not yet resolved, or maintenance under way now."""
    if is_finished(incident):
        return False
    if incident.kind is IncidentKind.maintenance:
        return incident.status in ONGOING_MAINTENANCE
    return incident.status is not IncidentStatus.scheduled


@dataclass(frozen=True)
class Disruptions:
    """What the top of the Status page says.

    Following something: `affecting_you` holds the active incidents that touch it and
    `others` every other active one (never hidden). Following nothing: all of them are in
    `others`. `troubled` are the services not running normally; `incident_of` leads from
    such a service to the active incident (or maintenance under way) about it."""

    following: bool = False
    affecting_you: list[Incident] = field(default_factory=list)
    others: list[Incident] = field(default_factory=list)
    troubled: list[Component] = field(default_factory=list)
    incident_of: dict[str, str] = field(default_factory=dict)
    followed_troubled: bool = False

    @property
    def all_clear(self) -> bool:
        """Nothing is active anywhere: no open incident and every service running."""
        return not (self.affecting_you or self.others or self.troubled)

    @property
    def nothing_for_you(self) -> bool:
        """Following something, and none of it is disrupted (while something else may be)."""
        return self.following and not self.affecting_you and not self.followed_troubled


def arrange(
    components: list[Component],
    active: list[Incident],
    maintenance: list[Incident],
    subscriptions: Subscriptions,
) -> Disruptions:
    """Order the page for this customer. `active` are the open incidents, most severe
    first; `maintenance` the open maintenance (planned or under way)."""
    following = follows_anything(subscriptions)
    ongoing = [i for i in active if is_ongoing(i)]
    mine = [i for i in ongoing if touches(subscriptions, i.components, i.keys)] if following else []
    others = [i for i in ongoing if i not in mine]
    troubled = [c for c in components if c.status is not ComponentState.operational]
    leads = [*ongoing, *(m for m in maintenance if is_ongoing(m))]
    incident_of: dict[str, str] = {}
    for component in troubled:
        found = next((i for i in leads if component.id in i.components), None)
        if found is not None:
            incident_of[component.id] = found.id
    followed = set(subscriptions.components)
    return Disruptions(
        following=following,
        affecting_you=mine,
        others=others,
        troubled=troubled,
        incident_of=incident_of,
        followed_troubled=any(c.id in followed for c in troubled),
    )
