"""The contact forecast of a queue (`forecasting`) from the hub's own tables: callbacks
asked for in the queue, cases opened in the app and by email, the incidents of the
history and today with the subscribed customers each touches, and the queue's staffing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Select, select

from app.backend.crud.queues import list_queues, queue_row, staffing_between
from app.backend.db.tables import callbacks, cases, incidents
from app.backend.forecasting import model
from app.backend.forecasting.baseline import INTERVAL
from app.backend.forecasting.incidents import Span
from app.backend.push_delivery.recipients import followed
from app.backend.settings import HubSettings
from app.backend.util import format_time, loads, now, parse_time
from app.schemas import IncidentKind
from app.schemas.alerting import touches
from app.schemas.forecast import ContactForecast, ForecastIncident, IncidentRate

EMAIL = "email"


@dataclass(frozen=True)
class Target:
    """The service target and how much history to learn from (hub settings)."""

    share: float = 0.8
    minutes: float = 20
    history_weeks: float = 8

    @classmethod
    def from_settings(cls, settings: HubSettings) -> Target:
        return cls(
            share=settings.forecast_target_share,
            minutes=settings.forecast_target_minutes,
            history_weeks=settings.forecast_history_weeks,
        )

    def check(self) -> None:
        if not 0 < self.share < 1 or self.minutes <= 0 or self.history_weeks <= 0:
            raise ValueError("the forecast target share is 0..1, its minutes and weeks above 0")


def _times(conn: Connection, query: Select[Any]) -> list[datetime]:
    return [parse_time(value) for value in conn.scalars(query)]


def _contacts(
    conn: Connection, queue_id: str, start: datetime, end: datetime
) -> dict[str, list[datetime]]:
    since, until = format_time(start), format_time(end)
    asked = select(callbacks.c.created_at).where(
        callbacks.c.queue_id == queue_id,
        callbacks.c.created_at >= since,
        callbacks.c.created_at < until,
    )
    opened = select(cases.c.created_at).where(
        cases.c.created_at >= since, cases.c.created_at < until
    )
    return {
        "callbacks": _times(conn, asked),
        "cases": _times(conn, opened.where(cases.c.channel != EMAIL)),
        "email": _times(conn, opened.where(cases.c.channel == EMAIL)),
    }


def _incidents(conn: Connection, start: datetime, end: datetime) -> list[tuple[Any, Span]]:
    """Incidents (not maintenance) running at some time in [start, end), each with the
    subscribed customers following one of its components or keys."""
    rows = conn.execute(
        select(incidents).where(
            incidents.c.kind == IncidentKind.incident.value,
            incidents.c.started_at < format_time(end),
            (incidents.c.resolved_at.is_(None)) | (incidents.c.resolved_at > format_time(start)),
        )
    ).all()
    follows = list(followed(conn).values()) if rows else []
    found = []
    for row in rows:
        components, keys = loads(row.components), loads(row.keys)
        touched = sum(1 for wants in follows if touches(wants, components, keys))
        ended = parse_time(row.resolved_at) if row.resolved_at else None
        found.append((row, Span(row.impact, parse_time(row.started_at), ended, touched)))
    return found


def queue_forecast(
    conn: Connection, *, queue_id: str, target: Target, at: datetime | None = None
) -> ContactForecast:
    """The queue's forecast at `at` (default now): today from local midnight and the
    next 24 hours."""
    target.check()
    moment = at or now()
    row = queue_row(conn, queue_id)
    today = model.today_start(row.time_zone, moment)
    start = today - timedelta(weeks=target.history_weeks)
    end = moment + INTERVAL * (model.AHEAD + 2)
    plan = model.QueuePlan(
        time_zone=row.time_zone,
        hours=loads(row.hours),
        staffing=staffing_between(conn, queue_id, today, end),
        handle_minutes=row.handle_minutes,
        target_share=target.share,
        target_minutes=target.minutes,
    )
    found = _incidents(conn, start, end)
    outcome = model.forecast(
        plan,
        _contacts(conn, queue_id, start, moment),
        [span for _, span in found],
        at=moment,
        weeks=target.history_weeks,
    )
    return ContactForecast(
        queue=queue_id,
        time_zone=row.time_zone,
        generated_at=moment,
        handle_minutes=row.handle_minutes,
        target_share=target.share,
        target_minutes=target.minutes,
        history_weeks=outcome.history_weeks,
        active_incidents=[
            ForecastIncident(id=r.id, title=r.title, impact=r.impact, touched=span.touched)
            for r, span in found
            if span.active(moment)
        ],
        rates=[
            IncidentRate(
                stream=stream, impact=impact, rate=round(rate, 5), learned=impact in r.learned
            )
            for stream, r in outcome.rates.items()
            for impact, rate in sorted(r.per_impact.items())
        ],
        intervals=outcome.intervals,
    )


def queue_ids(conn: Connection, wanted: str | None) -> Sequence[str]:
    """The queue named (checked), or every queue in order."""
    if wanted is not None:
        return [queue_row(conn, wanted).id]
    return [q.id for q in list_queues(conn)]
