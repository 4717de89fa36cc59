"""The public status document, and the same in Atlassian Statuspage's `summary.json` format
so existing status widgets and tools work against the hub."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from app.backend.crud import status
from app.backend.crud.components import list_components
from app.backend.db.tables import sync_changes
from app.backend.settings import HubSettings
from app.backend.util import format_time, now
from app.schemas import Impact, Incident, IncidentKind, StatusSnapshot
from app.schemas.booking import BookingRefField
from app.schemas.status import StatusPage
from app.schemas.wording import CompanyWord, Wording

DESCRIPTIONS = {
    Impact.none: "All Systems Operational",
    Impact.minor: "Minor Service Outage",
    Impact.major: "Partial System Outage",
    Impact.critical: "Major System Outage",
}


def status_version(conn: Connection) -> int:
    """Moves whenever a component or incident changes: the key of cached documents."""
    found = conn.execute(
        select(func.max(sync_changes.c.seq)).where(
            sync_changes.c.entity.in_(("component", "incident"))
        )
    )
    return int(found.scalar() or 0)


def company_wording(settings: HubSettings) -> Wording:
    """The company's words for the app's labels that name its trade (`wording_<word>`)."""
    found: Wording = {}
    for word in CompanyWord:
        texts = getattr(settings, f"wording_{word.value}")
        if texts:
            found[word.value] = dict(texts)
    return found


def company_page(settings: HubSettings) -> StatusPage:
    """The company as the app shows it: name, the number it calls from, how it asks for
    a booking reference, and its words for labels that name its trade."""
    booking = None
    if settings.booking_ref_label:
        booking = BookingRefField(
            label=dict(settings.booking_ref_label),
            pattern=settings.booking_ref_pattern or "",
            example=settings.booking_ref_example,
        )
    return StatusPage(
        name=settings.company_name,
        url=settings.public_url,
        time_zone=settings.time_zone,
        default_locale=settings.default_locale,
        caller_number=settings.caller_number,
        booking_ref=booking,
        wording=company_wording(settings),
    )


def build_snapshot(conn: Connection, settings: HubSettings) -> StatusSnapshot:
    components = list_components(conn)
    active = status.active_incidents(conn)
    incidents_only = [i for i in active if i.kind is IncidentKind.incident]
    order = list(Impact)
    worst = max((i.impact for i in incidents_only), key=order.index, default=Impact.none)
    stamps = [c.updated_at for c in components] + [i.updated_at for i in active]
    return StatusSnapshot(
        page=company_page(settings),
        indicator=worst,
        description=DESCRIPTIONS[worst],
        updated_at=max(stamps, default=now()),
        components=components,
        active_incidents=incidents_only,
        maintenance=[i for i in active if i.kind is IncidentKind.maintenance]
        + status.upcoming_maintenance(conn),
        recent_incidents=status.recent_incidents(conn),
    )


def _group_id(name: str) -> str:
    return "grp-" + "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")


def _sp_incident(
    incident: Incident, page_id: str, names: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    first = incident.updates[-1].created_at if incident.updates else incident.created_at
    monitoring = [u.created_at for u in incident.updates if u.status.value == "monitoring"]
    return {
        "id": incident.id,
        "name": incident.title,
        "status": incident.status.value,
        "created_at": format_time(incident.created_at),
        "updated_at": format_time(incident.updated_at),
        "monitoring_at": format_time(monitoring[0]) if monitoring else None,
        "resolved_at": format_time(incident.resolved_at) if incident.resolved_at else None,
        "impact": (
            incident.impact.value if incident.kind is IncidentKind.incident else "maintenance"
        ),
        "shortlink": f"/status/{incident.id}",
        "started_at": format_time(incident.started_at),
        "page_id": page_id,
        "scheduled_for": format_time(incident.scheduled_for) if incident.scheduled_for else None,
        "scheduled_until": (
            format_time(incident.scheduled_until) if incident.scheduled_until else None
        ),
        "incident_updates": [
            {
                "id": u.id,
                "status": u.status.value,
                "body": u.body,
                "incident_id": incident.id,
                "created_at": format_time(u.created_at),
                "updated_at": format_time(u.created_at),
                "display_at": format_time(u.created_at),
                "affected_components": None,
                "deliver_notifications": True,
                "custom_tweet": None,
                "tweet_id": None,
            }
            for u in incident.updates
        ],
        "components": [names[c] for c in incident.components if c in names],
        "first_update_at": format_time(first),
    }


def summary(snapshot: StatusSnapshot) -> dict[str, Any]:
    """`/api/v2/summary.json`: Statuspage's field names and enums."""
    page_id = "careline"
    groups: dict[str, list[str]] = {}
    rendered: dict[str, dict[str, Any]] = {}
    for c in snapshot.components:
        group_id = _group_id(c.group) if c.group else None
        if c.group:
            groups.setdefault(c.group, []).append(c.id)
        rendered[c.id] = {
            "id": c.id,
            "name": c.name,
            "status": c.status.value,
            "created_at": format_time(c.updated_at),
            "updated_at": format_time(c.updated_at),
            "position": c.position,
            "description": c.description or None,
            "showcase": True,
            "start_date": None,
            "group_id": group_id,
            "page_id": page_id,
            "group": False,
            "only_show_if_degraded": False,
        }
    group_rows = [
        {
            "id": _group_id(name),
            "name": name,
            "status": _worst_state([rendered[i]["status"] for i in ids]),
            "created_at": format_time(snapshot.updated_at),
            "updated_at": format_time(snapshot.updated_at),
            "position": index,
            "description": None,
            "showcase": False,
            "start_date": None,
            "group_id": None,
            "page_id": page_id,
            "group": True,
            "only_show_if_degraded": False,
            "components": ids,
        }
        for index, (name, ids) in enumerate(groups.items())
    ]
    return {
        "page": {
            "id": page_id,
            "name": snapshot.page.name,
            "url": snapshot.page.url,
            "time_zone": snapshot.page.time_zone,
            "updated_at": format_time(snapshot.updated_at),
        },
        "components": group_rows + list(rendered.values()),
        "incidents": [_sp_incident(i, page_id, rendered) for i in snapshot.active_incidents],
        "scheduled_maintenances": [
            _sp_incident(i, page_id, rendered) for i in snapshot.maintenance
        ],
        "status": {"indicator": snapshot.indicator.value, "description": snapshot.description},
    }


STATE_ORDER = (
    "operational",
    "under_maintenance",
    "degraded_performance",
    "partial_outage",
    "major_outage",
)


def _worst_state(states: list[str]) -> str:
    return max(states, key=STATE_ORDER.index, default="operational")
