"""The operator CLI's status page commands: incidents, maintenance and components."""

from __future__ import annotations

import argparse

from app.backend.cli_commands import CliError, choice, read, write
from app.backend.cli_texts import incident_texts
from app.backend.crud import audit, components, status
from app.backend.util import parse_time
from app.schemas import ComponentState, Impact, IncidentKind
from app.schemas.status import CLOSED_STATUSES, IncidentStatus


def incident_publish(args: argparse.Namespace) -> int:
    kind = IncidentKind.maintenance if args.maintenance else IncidentKind.incident
    try:
        starts = parse_time(args.starts) if args.starts else None
        ends = parse_time(args.ends) if args.ends else None
    except ValueError as error:
        raise CliError(f"--starts/--ends: {error}") from error
    with write(args) as conn:
        incident = status.publish_incident(
            conn,
            title=args.title,
            impact=choice(Impact, args.impact),
            components_affected=args.components,
            body=args.body,
            kind=kind,
            keys=args.keys,
            articles=args.articles,
            scheduled_for=starts,
            scheduled_until=ends,
            translations=incident_texts(args),
        )
        audit.record(conn, None, "incident.publish", incident.id, {"title": args.title})
    print(
        f"Published {incident.id}: {incident.title} ({incident.status.value}, "
        f"impact {incident.impact.value})"
    )
    return 0


def incident_update(args: argparse.Namespace) -> int:
    with write(args) as conn:
        incident = status.update_incident(
            conn,
            incident_id=args.id,
            status=choice(IncidentStatus, args.status),
            body=args.body,
            translations=incident_texts(args),
        )
        audit.record(conn, None, "incident.update", incident.id, {"status": incident.status})
    print(f"Updated {incident.id}: now {incident.status.value}")
    return 0


def incident_resolve(args: argparse.Namespace) -> int:
    with write(args) as conn:
        current = status.get_incident(conn, incident_id=args.id)
        done = (
            IncidentStatus.resolved
            if current.kind is IncidentKind.incident
            else IncidentStatus.completed
        )
        if current.status in CLOSED_STATUSES:
            raise CliError(f"{args.id} is already {current.status.value}")
        status.update_incident(
            conn,
            incident_id=args.id,
            status=done,
            body=args.body,
            translations=incident_texts(args),
        )
        audit.record(conn, None, "incident.update", args.id, {"status": done})
    print(f"Resolved {args.id}")
    return 0


def incident_list(args: argparse.Namespace) -> int:
    with read(args) as conn:
        items, _ = status.list_incidents(conn, before=None, limit=50)
    for i in items:
        print(f"{i.id}  {i.status.value:<13} {i.impact.value:<8} {i.title}")
    return 0


def component_list(args: argparse.Namespace) -> int:
    with read(args) as conn:
        for c in components.list_components(conn):
            print(f"{c.id:<14} {c.status.value:<21} {c.name}")
    return 0


def component_set(args: argparse.Namespace) -> int:
    with write(args) as conn:
        c = components.set_component_state(
            conn, component_id=args.id, status=choice(ComponentState, args.state)
        )
        audit.record(conn, None, "component.state", c.id, {"status": c.status})
    print(f"{c.id} is now {c.status.value}")
    return 0
