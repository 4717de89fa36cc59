"""The contact forecast the operator API and CLI give (`GET /v1/admin/forecast`): per
half hour, the contacts expected beside those that came, and the agents planned beside
those Erlang C says the target needs."""

from __future__ import annotations

from pydantic import Field

from app.schemas.common import UtcTime, WireModel
from app.schemas.status import Impact


class Contacts(WireModel):
    """Contacts in one half hour: callbacks asked for in this queue; cases opened in the
    app and by email (those belong to no queue: every queue's forecast shows the same)."""

    callbacks: float
    cases: float
    email: float


class ForecastInterval(WireModel):
    start: UtcTime
    end: UtcTime
    expected: Contacts
    actual: Contacts | None = Field(
        None, description="What came, for intervals already started (so far, for the current one)."
    )
    open: bool = Field(description="Whether the queue is open at the interval's start.")
    planned_agents: int = Field(description="The fewest agents on duty during the interval.")
    needed_agents: int = Field(
        description="Erlang C: the fewest agents that meet the target for the expected callbacks "
        "(0 while the queue is closed)."
    )
    gap: int = Field(description="needed - planned: above 0, agents short; below 0, spare.")


class ForecastIncident(WireModel):
    id: str
    title: str
    impact: Impact
    touched: int = Field(description="Subscribed customers following what it touches.")


class IncidentRate(WireModel):
    """Contacts per hour for each touched customer an incident of `impact` adds."""

    stream: str = Field(description="callbacks, cases or email.")
    impact: Impact
    rate: float
    learned: bool = Field(description="From past incidents (else the documented default).")


class ContactForecast(WireModel):
    queue: str
    time_zone: str
    generated_at: UtcTime
    handle_minutes: int
    target_share: float = Field(description="Share of callbacks to reach within the target.")
    target_minutes: float
    history_weeks: float = Field(description="Weeks of history the baseline was learned from.")
    active_incidents: list[ForecastIncident]
    rates: list[IncidentRate]
    intervals: list[ForecastInterval]
