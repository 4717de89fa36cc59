"""What the company's team sends the hub's operator API (`/v1/admin`): the CLI's and the
storm console's requests, validated the same on both sides of the wire."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from app.schemas.callbacks import CallbackStatus
from app.schemas.cases import CaseStatus
from app.schemas.common import UtcTime, WireModel
from app.schemas.files import MAX_ATTACHMENTS
from app.schemas.localized import Locale
from app.schemas.status import (
    ComponentState,
    Impact,
    IncidentAction,
    IncidentKind,
    IncidentStatus,
    IncidentTranslation,
)

Text = Field(min_length=1, max_length=20_000)


class IncidentIn(WireModel):
    title: str = Field(min_length=1, max_length=300)
    impact: Impact
    components: list[str] = Field(default_factory=list, max_length=100)
    body: str = Text
    kind: IncidentKind = IncidentKind.incident
    status: IncidentStatus | None = None
    keys: list[str] = Field(default_factory=list, max_length=100)
    articles: list[str] = Field(default_factory=list, max_length=20)
    actions: list[IncidentAction] = Field(default_factory=list, max_length=10)
    scheduled_for: UtcTime | None = None
    scheduled_until: UtcTime | None = None
    component_state: ComponentState | None = None
    translations: dict[Locale, IncidentTranslation] = Field(
        default_factory=dict, max_length=50, description="Locale -> the title and body in it."
    )

    @model_validator(mode="after")
    def _window_in_order(self) -> Self:
        start, end = self.scheduled_for, self.scheduled_until
        if start is not None and end is not None and end < start:
            raise ValueError("scheduled_until is before scheduled_for")
        return self


class IncidentUpdateIn(WireModel):
    status: IncidentStatus
    body: str = Text
    impact: Impact | None = None
    component_state: ComponentState | None = None
    translations: dict[Locale, IncidentTranslation] = Field(
        default_factory=dict,
        max_length=50,
        description="Locale -> the body in it (and a new title, if given).",
    )


class ComponentStateIn(WireModel):
    status: ComponentState


class AgentReplyIn(WireModel):
    body: str = Text
    author_name: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="The agent's own name; none: the reply is the support team's, which "
        "the app names in the customer's language.",
    )
    status: CaseStatus | None = CaseStatus.pending
    attachments: list[str] = Field(
        default_factory=list,
        max_length=MAX_ATTACHMENTS,
        description="Ids of files uploaded for this case "
        "(`POST /v1/admin/cases/{case_id}/attachments`).",
    )


class CaseStatusIn(WireModel):
    status: CaseStatus


class CallbackStatusIn(WireModel):
    status: CallbackStatus


class HoursIn(WireModel):
    hours: dict[str, list[list[str]]]


class StaffingIn(WireModel):
    starts_at: UtcTime
    ends_at: UtcTime
    agents: int = Field(ge=0, le=10_000)


class ArticleIn(WireModel):
    title: str = Field(min_length=1, max_length=300)
    body: str = Field(min_length=1, max_length=200_000)
    category: str = Field(min_length=1, max_length=100)
    tags: list[str] = Field(default_factory=list, max_length=50)
    published: bool = True
