"""Incidents and scheduled maintenance: publishing and updating their timelines, and the
state they put the components they affect in (the components themselves are in
`components`; reading incidents is in `incident_reads`, whose reads are named here too)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from app.backend.crud.changes import record_change
from app.backend.crud.components import check_components, set_component_state
from app.backend.crud.incident_reads import active_incidents as active_incidents
from app.backend.crud.incident_reads import get_incident as get_incident
from app.backend.crud.incident_reads import list_incidents as list_incidents
from app.backend.crud.incident_reads import recent_incidents as recent_incidents
from app.backend.crud.incident_reads import upcoming_maintenance as upcoming_maintenance
from app.backend.crud.rows import next_version, one_or_404, translations_json
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
    IncidentText,
    IncidentTranslation,
    IncidentUpdate,
    IncidentUpdateText,
)

NO_TRANSLATIONS: Mapping[str, IncidentTranslation] = {}

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


def first_status(kind: IncidentKind) -> IncidentStatus:
    """The status an incident (or maintenance) is published in unless the operator says."""
    if kind is IncidentKind.incident:
        return IncidentStatus.investigating
    return IncidentStatus.scheduled


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
    translations: Mapping[str, IncidentTranslation] = NO_TRANSLATIONS,
) -> Incident:
    """Open an incident (or schedule maintenance) with its first update; `translations`
    are the title's and the body's per locale."""
    if status is None:
        status = first_status(kind)
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
            keys=dumps(incident_keys(keys)),
            articles=dumps(list(articles)),
            actions=dumps([a.model_dump(mode="json", exclude_none=True) for a in actions]),
            started_at=format_time(scheduled_for or when),
            resolved_at=format_time(when) if status in CLOSED_STATUSES else None,
            scheduled_for=format_time(scheduled_for) if scheduled_for else None,
            scheduled_until=format_time(scheduled_until) if scheduled_until else None,
            created_at=format_time(when),
            updated_at=format_time(when),
            version=1,
            translations=translations_json(_titles(translations)),
        )
    )
    _add_update(conn, incident_id, status, body, when, translations)
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
    translations: Mapping[str, IncidentTranslation] = NO_TRANSLATIONS,
) -> Incident:
    """Add an update to the timeline; resolving restores the components it affected. A
    title among `translations` replaces that locale's title."""
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
    titles = _titles(translations)
    if titles:
        known = {k: IncidentText.model_validate(v) for k, v in loads(row.translations).items()}
        changes["translations"] = translations_json({**known, **titles})
    next_version(conn, incidents, row_id=incident_id, values=changes, at=format_time(when))
    _add_update(conn, incident_id, status, body, when, translations)
    _apply_component_states(
        conn, incident_id, kind, status, impact or Impact(row.impact), component_state
    )
    return _publish_incident(conn, incident_id)


def incident_keys(keys: Sequence[str]) -> list[str]:
    """An incident's subscription keys as the hub keeps them: trimmed, upper case, sorted."""
    return sorted({k.strip().upper() for k in keys if k.strip()})


def draft_incident(
    conn: Connection,
    *,
    title: str,
    impact: Impact,
    components_affected: Sequence[str],
    body: str,
    kind: IncidentKind = IncidentKind.incident,
    keys: Sequence[str] = (),
    translations: Mapping[str, IncidentTranslation] = NO_TRANSLATIONS,
) -> Incident:
    """The incident `publish_incident` would open with these words, without keeping it
    (what its alert would say, and to whom: `push_delivery.recipients`)."""
    status = first_status(kind)
    check_components(conn, components_affected)
    when = now()
    return Incident(
        id="inc_draft",
        kind=kind,
        title=title,
        status=status,
        impact=impact,
        components=list(components_affected),
        keys=incident_keys(keys),
        updates=[
            IncidentUpdate(
                id="upd_draft",
                status=status,
                body=body,
                created_at=when,
                translations=_bodies(translations),
            )
        ],
        started_at=when,
        created_at=when,
        updated_at=when,
        translations=_titles(translations),
    )


def _titles(translations: Mapping[str, IncidentTranslation]) -> dict[str, IncidentText]:
    return {k: IncidentText(title=t.title) for k, t in translations.items() if t.title}


def _bodies(translations: Mapping[str, IncidentTranslation]) -> dict[str, IncidentUpdateText]:
    return {k: IncidentUpdateText(body=t.body) for k, t in translations.items() if t.body}


def _add_update(
    conn: Connection,
    incident_id: str,
    status: IncidentStatus,
    body: str,
    when: datetime,
    translations: Mapping[str, IncidentTranslation],
) -> None:
    bodies = _bodies(translations)
    conn.execute(
        insert(incident_updates).values(
            id=new_id("upd"),
            incident_id=incident_id,
            status=status.value,
            body=body,
            created_at=format_time(when),
            translations=translations_json(bodies),
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
