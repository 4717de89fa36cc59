"""Reading incidents and maintenance with their timelines: one, the active ones, those
coming up, the recently resolved, and the history page by page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Row, select

from app.backend.crud.rows import one_or_404
from app.backend.db.tables import incident_updates, incidents
from app.backend.util import format_time, loads, now
from app.schemas.status import Impact, Incident, IncidentAction, IncidentStatus, IncidentUpdate


def get_incident(conn: Connection, *, incident_id: str) -> Incident:
    row = one_or_404(conn, select(incidents).where(incidents.c.id == incident_id), what="incident")
    return _incidents_from_rows(conn, [row])[0]


def _incidents_from_rows(conn: Connection, rows: Sequence[Row[Any]]) -> list[Incident]:
    ids = [row.id for row in rows]
    updates: dict[str, list[IncidentUpdate]] = {i: [] for i in ids}
    query = (
        select(incident_updates)
        .where(incident_updates.c.incident_id.in_(ids))
        .order_by(incident_updates.c.created_at.desc(), incident_updates.c.id)
    )
    for u in conn.execute(query):
        updates[u.incident_id].append(
            IncidentUpdate(
                id=u.id,
                status=u.status,
                body=u.body,
                created_at=u.created_at,
                translations=loads(u.translations) or {},
            )
        )
    return [
        Incident(
            id=row.id,
            kind=row.kind,
            title=row.title,
            status=row.status,
            impact=row.impact,
            components=loads(row.components),
            keys=loads(row.keys),
            articles=loads(row.articles),
            actions=[IncidentAction.model_validate(a) for a in loads(row.actions)],
            updates=updates[row.id],
            started_at=row.started_at,
            resolved_at=row.resolved_at,
            scheduled_for=row.scheduled_for,
            scheduled_until=row.scheduled_until,
            created_at=row.created_at,
            updated_at=row.updated_at,
            translations=loads(row.translations) or {},
        )
        for row in rows
    ]


def active_incidents(conn: Connection) -> list[Incident]:
    """Open incidents and maintenance under way, most severe first."""
    rows = conn.execute(
        select(incidents).where(
            incidents.c.resolved_at.is_(None),
            incidents.c.status != IncidentStatus.scheduled.value,
        )
    ).all()
    order = list(Impact)
    found = _incidents_from_rows(conn, rows)
    return sorted(found, key=lambda i: (-order.index(i.impact), i.started_at))


def upcoming_maintenance(conn: Connection) -> list[Incident]:
    rows = conn.execute(
        select(incidents)
        .where(incidents.c.status == IncidentStatus.scheduled.value)
        .order_by(incidents.c.scheduled_for)
    ).all()
    return _incidents_from_rows(conn, rows)


def recent_incidents(conn: Connection, *, days: int = 7, limit: int = 20) -> list[Incident]:
    since = format_time(now() - timedelta(days=days))
    rows = conn.execute(
        select(incidents)
        .where(incidents.c.resolved_at.is_not(None), incidents.c.resolved_at >= since)
        .order_by(incidents.c.resolved_at.desc())
        .limit(limit)
    ).all()
    return _incidents_from_rows(conn, rows)


def list_incidents(
    conn: Connection, *, before: str | None, limit: int
) -> tuple[list[Incident], str | None]:
    """Incident history, newest first; returns the page and the cursor of the next one."""
    query = select(incidents).order_by(incidents.c.started_at.desc(), incidents.c.id.desc())
    if before:
        started, _, ident = before.partition("|")
        query = query.where(
            (incidents.c.started_at < started)
            | ((incidents.c.started_at == started) & (incidents.c.id < ident))
        )
    rows = conn.execute(query.limit(limit + 1)).all()
    page = _incidents_from_rows(conn, rows[:limit])
    last = rows[limit - 1] if len(rows) > limit else None
    return page, (f"{last.started_at}|{last.id}" if last is not None else None)
