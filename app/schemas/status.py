"""Service status: components, incidents and maintenance."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from app.schemas.booking import BookingRefField
from app.schemas.common import UtcTime, WireModel
from app.schemas.localized import Locale, translations_field
from app.schemas.wording import Wording


class ComponentState(StrEnum):
    operational = "operational"
    degraded_performance = "degraded_performance"
    partial_outage = "partial_outage"
    major_outage = "major_outage"
    under_maintenance = "under_maintenance"


class IncidentKind(StrEnum):
    incident = "incident"
    maintenance = "maintenance"


class IncidentStatus(StrEnum):
    investigating = "investigating"
    identified = "identified"
    monitoring = "monitoring"
    resolved = "resolved"
    # Scheduled maintenance walks its own path (Statuspage's names).
    scheduled = "scheduled"
    in_progress = "in_progress"
    verifying = "verifying"
    completed = "completed"


INCIDENT_STATUSES = frozenset(
    {
        IncidentStatus.investigating,
        IncidentStatus.identified,
        IncidentStatus.monitoring,
        IncidentStatus.resolved,
    }
)
MAINTENANCE_STATUSES = frozenset(
    {
        IncidentStatus.scheduled,
        IncidentStatus.in_progress,
        IncidentStatus.verifying,
        IncidentStatus.completed,
    }
)
CLOSED_STATUSES = frozenset({IncidentStatus.resolved, IncidentStatus.completed})


class Impact(StrEnum):
    none = "none"
    minor = "minor"
    major = "major"
    critical = "critical"


class ComponentText(WireModel):
    """A component's text in one language; a field left out reads in the default one."""

    name: str | None = None
    group: str | None = None
    description: str | None = None


class Component(WireModel):
    id: str
    name: str
    group: str | None = Field(None, description="Display group, e.g. a hub or 'Services'.")
    description: str = ""
    status: ComponentState = ComponentState.operational
    position: int = 0
    updated_at: UtcTime
    translations: dict[Locale, ComponentText] = translations_field()


class IncidentUpdateText(WireModel):
    body: str | None = Field(None, description="Markdown.")


class IncidentUpdate(WireModel):
    id: str
    status: IncidentStatus
    body: str = Field(description="Markdown.")
    created_at: UtcTime
    translations: dict[Locale, IncidentUpdateText] = translations_field()


class IncidentActionText(WireModel):
    label: str | None = None


class IncidentAction(WireModel):
    """A self-service step the incident offers: book a callback, open a case, read an article."""

    kind: str = Field(description="callback | case | article")
    label: str
    target: str | None = Field(None, description="Queue id, case category or article slug.")
    translations: dict[Locale, IncidentActionText] = translations_field()


class IncidentText(WireModel):
    title: str | None = None


class Incident(WireModel):
    id: str
    kind: IncidentKind = IncidentKind.incident
    title: str
    status: IncidentStatus
    impact: Impact
    components: list[str] = Field(default_factory=list, description="Affected component ids.")
    keys: list[str] = Field(
        default_factory=list, description="Subscription keys, e.g. a hub code or flight number."
    )
    articles: list[str] = Field(default_factory=list, description="Related article slugs.")
    actions: list[IncidentAction] = Field(default_factory=list)
    updates: list[IncidentUpdate] = Field(default_factory=list, description="Newest first.")
    started_at: UtcTime
    resolved_at: UtcTime | None = None
    scheduled_for: UtcTime | None = None
    scheduled_until: UtcTime | None = None
    created_at: UtcTime
    updated_at: UtcTime
    translations: dict[Locale, IncidentText] = translations_field()


class IncidentTranslation(WireModel):
    """What an operator writes in one language when publishing or updating an incident:
    its title (kept on the incident) and the update's body."""

    title: str | None = Field(None, min_length=1, max_length=300)
    body: str | None = Field(None, min_length=1, max_length=20_000)


class StatusPage(WireModel):
    name: str
    url: str
    time_zone: str
    default_locale: Locale = Field(
        "en",
        description="The language the company writes its content in first: the app shows "
        "it where the customer's is missing.",
    )
    caller_number: str | None = Field(
        None, description="The number callbacks come from (E.164), for the customer to expect."
    )
    booking_ref: BookingRefField | None = Field(
        None, description="How the company asks for a booking reference; None: it does not."
    )
    wording: Wording = Field(
        default_factory=dict,
        description="The company's own words for labels of the app that name its trade: "
        "word (a CompanyWord) -> locale -> text. Without them the app's generic words show.",
    )


class StatusSnapshot(WireModel):
    """Everything the Status screen shows, in one cacheable document."""

    page: StatusPage
    indicator: Impact = Field(description="Worst impact among active incidents.")
    description: str
    updated_at: UtcTime
    components: list[Component]
    active_incidents: list[Incident]
    maintenance: list[Incident] = Field(description="Upcoming and in-progress maintenance.")
    recent_incidents: list[Incident] = Field(description="Resolved in the last 7 days (max 20).")
