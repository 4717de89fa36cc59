"""Incidents and scheduled maintenance: their timelines, and the state they put the
components they affect in (the components themselves are in `components`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, insert, select

from app.backend.crud.changes import record_change
from app.backend.crud.components import check_components, set_component_state
from app.backend.crud.rows import next_version, one_or_404
from app.backend.db.tables import components, incident_updates, incidents
from app.backend.problems import ProblemError
from app.backend.util import dumps, format_time, loads, new_id, now
from app.schemas.status import (
    CLOSED_STATUSES,
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
    ComponentState,
    Impact,
    Incident,
    IncidentAction,
    IncidentKind,
    IncidentStatus,
    IncidentUpdate,
)

# What an incident does to its components unless the operator says otherwise.
STATE_FOR_IMPACT = {
    Impact.none: None,
    Impact.minor: ComponentState.degraded_performance,
    Impact.major: ComponentState.partial_outage,
    Impact.critical: ComponentState.major_outage,
}


def _check_status(kind: IncidentKind, status: IncidentStatus) -> None:
    allowed = INCIDENT_STATUSES if kind is IncidentKind.incident else MAINTENANCE_STATUSES
    if status not in allowed:
        names = ", ".join(sorted(s.value for s in allowed))
        raise ProblemError(
            422,
            "Invalid status",
            f"A {kind.value} status is one of: {names}.",
            slug="invalid-status",
        )


def publish_incident(
    conn: Connection,
    *,
    title: str,
    impact: Impact,
    components_affected: Sequence[str],
    body: str,
    kind: IncidentKind = IncidentKind.incident,
    status: IncidentStatus | None = None,
    keys: Sequence[str] = (),
    articles: Sequence[str] = (),
    actions: Sequence[IncidentAction] = (),
    started_at: datetime | None = None,
    scheduled_for: datetime | None = None,
    scheduled_until: datetime | None = None,
    component_state: ComponentState | None = None,
) -> Incident:
    """Open an incident (or schedule maintenance) with its first update."""
    if status is None:
        is_incident = kind is IncidentKind.incident
        status = IncidentStatus.investigating if is_incident else IncidentStatus.scheduled
    _check_status(kind, status)
    check_components(conn, components_affected)
    when = started_at or now()
    incident_id = new_id("inc")
    conn.execute(
        insert(incidents).values(
            id=incident_id,
            kind=kind.value,
            title=title,
            status=status.value,
            impact=impact.value,
            components=dumps(list(components_affected)),
            keys=dumps(sorted({k.strip().upper() for k in keys if k.strip()})),
            articles=dumps(list(articles)),
            actions=dumps([a.model_dump() for a in actions]),
            started_at=format_time(scheduled_for or when),
            resolved_at=format_time(when) if status in CLOSED_STATUSES else None,
            scheduled_for=format_time(scheduled_for) if scheduled_for else None,
            scheduled_until=format_time(scheduled_until) if scheduled_until else None,
            created_at=format_time(when),
            updated_at=format_time(when),
            version=1,
        )
    )
    _add_update(conn, incident_id, status, body, when)
    _apply_component_states(conn, incident_id, kind, status, impact, component_state)
    return _publish_incident(conn, incident_id)


def update_incident(
    conn: Connection,
    *,
    incident_id: str,
    status: IncidentStatus,
    body: str,
    impact: Impact | None = None,
    component_state: ComponentState | None = None,
    at: datetime | None = None,
) -> Incident:
    """Add an update to the timeline; resolving restores the components it affected."""
    row = one_or_404(conn, select(incidents).where(incidents.c.id == incident_id), what="incident")
    kind = IncidentKind(row.kind)
    _check_status(kind, status)
    when = at or now()
    changes: dict[str, Any] = {"status": status.value}
    if impact is not None:
        changes["impact"] = impact.value
    if status in CLOSED_STATUSES:
        changes["resolved_at"] = format_time(when)
    elif row.resolved_at is not None:
        changes["resolved_at"] = None
    next_version(conn, incidents, row_id=incident_id, values=changes, at=format_time(when))
    _add_update(conn, incident_id, status, body, when)
    _apply_component_states(
        conn, incident_id, kind, status, impact or Impact(row.impact), component_state
    )
    return _publish_incident(conn, incident_id)


def _add_update(
    conn: Connection, incident_id: str, status: IncidentStatus, body: str, when: datetime
) -> None:
    conn.execute(
        insert(incident_updates).values(
            id=new_id("upd"),
            incident_id=incident_id,
            status=status.value,
            body=body,
            created_at=format_time(when),
        )
    )


def _apply_component_states(
    conn: Connection,
    incident_id: str,
    kind: IncidentKind,
    status: IncidentStatus,
    impact: Impact,
    explicit: ComponentState | None,
) -> None:
    affected = loads(
        conn.execute(
            select(incidents.c.components).where(incidents.c.id == incident_id)
        ).scalar_one()
    )
    if status in CLOSED_STATUSES:
        still_affected = {c for inc in active_incidents(conn) for c in inc.components}
        target_ids = [c for c in affected if c not in still_affected]
        state: ComponentState | None = ComponentState.operational
    else:
        target_ids = affected
        if explicit is not None:
            state = explicit
        elif kind is IncidentKind.maintenance:
            in_progress = status in {IncidentStatus.in_progress, IncidentStatus.verifying}
            state = ComponentState.under_maintenance if in_progress else None
        else:
            state = STATE_FOR_IMPACT[impact]
    if state is None:
        return
    for component_id in target_ids:
        current = conn.execute(select(components.c.status).where(components.c.id == component_id))
        if current.scalar() != state.value:
            set_component_state(conn, component_id=component_id, status=state)


def _publish_incident(conn: Connection, incident_id: str) -> Incident:
    incident = get_incident(conn, incident_id=incident_id)
    version = conn.execute(select(incidents.c.version).where(incidents.c.id == incident_id))
    record_change(
        conn,
        entity="incident",
        entity_id=incident_id,
        version=version.scalar_one(),
        data=incident.model_dump(mode="json"),
    )
    return incident


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
            IncidentUpdate(id=u.id, status=u.status, body=u.body, created_at=u.created_at)
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
