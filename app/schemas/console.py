"""What the storm console reads from the hub's operator API beyond the customer's own wire
models: who an incident will alert, the case inbox, the callback board, helpfulness and
search gaps, and the series its charts draw."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints

from app.schemas.callbacks import CallbackStatus
from app.schemas.cases import Case
from app.schemas.common import UtcTime, WireModel
from app.schemas.localized import Locale
from app.schemas.search_gaps import GAP_COUNT_MAX, GAP_QUERY_MAX, GAPS_PER_REQUEST
from app.schemas.status import Impact, IncidentKind, IncidentTranslation


class AudienceIn(WireModel):
    """An incident not yet published: who it would alert (`POST /v1/admin/incidents/audience`)."""

    title: str = Field("", max_length=300)
    body: str = Field("", max_length=20_000)
    impact: Impact
    kind: IncidentKind = IncidentKind.incident
    components: list[str] = Field(default_factory=list, max_length=100)
    keys: list[str] = Field(default_factory=list, max_length=100)
    translations: dict[Locale, IncidentTranslation] = Field(
        default_factory=dict, max_length=50, description="Locale -> the title and body in it."
    )


class NotificationPreview(WireModel):
    locale: Locale
    title: str
    body: str


class Audience(WireModel):
    customers: int = Field(description="Customers whose subscriptions this incident concerns.")
    devices: int = Field(description="Devices registered for alerts that it would reach.")
    push_devices: int = Field(description="Of those, devices reached by push (app closed).")
    previews: list[NotificationPreview] = Field(
        description="The notification as it would read, one per language customers use."
    )


class InboxCase(Case):
    """A case as the team's inbox shows it."""

    customer_email: str
    assignee: str | None = Field(None, description="The member of staff's id.")
    assignee_name: str | None = None
    waiting_on_us: bool = Field(description="The customer wrote last and nobody answered yet.")
    waiting_since: UtcTime | None = Field(
        None, description="When the customer's unanswered message came (None if not waiting)."
    )


class AssignIn(WireModel):
    assignee: str | None = Field(
        None,
        min_length=1,
        max_length=40,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="A member of staff's id; None unassigns.",
    )


class SlotLoad(WireModel):
    starts_at: UtcTime
    ends_at: UtcTime
    capacity: int = Field(
        description="Calls the agents on duty for the whole slot can take in it (agents "
        "times the calls one agent handles in a slot): what `booked` can reach."
    )
    booked: int


class WaitingCallback(WireModel):
    id: str
    customer_email: str
    phone: str
    requested_at: UtcTime
    estimate_minutes: int | None = Field(
        None, description="The wait the customer is shown, in minutes."
    )


class QueueBoard(WireModel):
    queue_id: str
    name: str
    time_zone: str = Field(description="IANA time zone the queue's hours are in.")
    slots: list[SlotLoad]
    waiting: list[WaitingCallback] = Field(description="As soon as possible, oldest first.")
    outcomes: dict[CallbackStatus, int] = Field(
        description="Today's callbacks by status (completed, missed, cancelled, ...)."
    )


class CallbackBoard(WireModel):
    day: date
    time_zone: str
    queues: list[QueueBoard]


class StaffingInterval(WireModel):
    starts_at: UtcTime
    ends_at: UtcTime
    agents: int


class ArticleHelpfulness(WireModel):
    slug: str
    locale: Locale
    title: str
    helpful: int
    unhelpful: int
    comments: list[str] = Field(description="What customers wrote with a 'No', newest first.")


class SearchGap(WireModel):
    """A search that found nothing, counted on devices and sent only as counts."""

    query: str
    locale: Locale
    count: int
    last_seen: UtcTime


class SearchGapsIn(WireModel):
    """A device's counts of searches that found nothing since it last sent them; nothing in
    it names the customer."""

    locale: Locale
    counts: dict[
        # No NUL character: no database stores it (WireModel checks values, not keys).
        Annotated[
            str, StringConstraints(min_length=1, max_length=GAP_QUERY_MAX, pattern=r"^[^\x00]+$")
        ],
        Annotated[int, Field(ge=1, le=GAP_COUNT_MAX)],
    ] = Field(max_length=GAPS_PER_REQUEST, description="Query -> searches that found nothing.")


class HourPoint(WireModel):
    hour: UtcTime
    values: dict[str, int] = Field(description="Series name -> count for the hour.")


class ChartSeries(WireModel):
    """Hourly counts for a chart: contacts by channel, callback demand against capacity,
    helpful and unhelpful votes."""

    name: str
    points: list[HourPoint]


class IncidentTemplate(WireModel):
    """A prefilled incident for a common disruption, which the operator adjusts and
    publishes (`GET /v1/admin/incident-templates`)."""

    id: str
    name: str = Field(description="What the template is for, as the console lists it.")
    title: str
    body: str = Field(description="Markdown.")
    impact: Impact
    kind: IncidentKind = IncidentKind.incident
    component_group: str | None = Field(
        None, description="The group of components it usually affects (e.g. 'Airports')."
    )
    components: list[str] = Field(default_factory=list, description="Suggested component ids.")
    keys: list[str] = Field(default_factory=list, description="Suggested subscription keys.")
    translations: dict[Locale, IncidentTranslation] = Field(
        default_factory=dict, description="Locale -> the title and body in it."
    )
