"""What each CLI command does. Every command works on the hub's database directly, through
the same crud functions as the HTTP API, so both always agree."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import Connection

from app.backend import demo, slots
from app.backend.crud import auth, callbacks, cases, queues, retention, sign_in, status
from app.backend.crud.availability import asap_estimate, free_slots
from app.backend.crud.components import list_components, set_component_state
from app.backend.db import Database, migrate
from app.backend.db.engine import private_folder
from app.backend.kb_import import import_folder
from app.backend.problems import ProblemError
from app.backend.settings import HubSettings
from app.backend.settings_env import load_settings
from app.backend.util import format_time, now, parse_time
from app.schemas import CallbackStatus, CaseStatus, ComponentState, Impact, IncidentKind
from app.schemas.status import CLOSED_STATUSES, IncidentStatus

E = TypeVar("E", bound=StrEnum)


class CliError(Exception):
    """A command failed for a reason the operator can fix; printed without a traceback."""


def _settings(args: argparse.Namespace) -> HubSettings:
    return load_settings(data_dir=args.data_dir, database_url=args.database_url)


@contextmanager
def _database(args: argparse.Namespace) -> Iterator[Database]:
    settings = _settings(args)
    private_folder(settings.data_dir)
    db = Database(settings.database_url, pool_size=2)
    try:
        migrate(db)
        yield db
    finally:
        db.dispose()


@contextmanager
def _write(args: argparse.Namespace) -> Iterator[Connection]:
    """One transaction; crud refusals become clear CLI errors."""
    try:
        with _database(args) as db, db.write() as conn:
            yield conn
    except ProblemError as error:
        raise CliError(error.problem.detail or error.problem.title) from error
    except ValueError as error:
        raise CliError(str(error)) from error


def _enum(kind: type[E], value: str) -> E:
    try:
        return kind(value)
    except ValueError as error:
        choices = ", ".join(member.value for member in kind)
        raise CliError(f"{value!r} is not one of: {choices}") from error


def migrate_cmd(args: argparse.Namespace) -> int:
    with _database(args) as db:
        print(f"Schema is at version {(migrate(db) and 'latest') or 'latest (no change)'}.")
    return 0


def prune(args: argparse.Namespace) -> int:
    """Remove old unattached uploads, idempotency records, events and tombstones once, as
    the hub does on its own every `prune_every_seconds`."""
    settings = _settings(args)
    with _database(args) as db:
        pruned = retention.prune(db, settings)
    print(
        f"Removed {pruned.uploads} unattached uploads, {pruned.mutations} idempotency "
        f"records, {pruned.events} events, {pruned.tombstones} tombstones and "
        f"{pruned.devices} devices beyond today's limits."
    )
    return 0


def openapi(args: argparse.Namespace) -> int:
    from app.backend.openapi_doc import openapi_text

    text = openapi_text()
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


def demo_load(args: argparse.Namespace) -> int:
    with _write(args) as conn:
        report = demo.load_demo(conn, args.folder or demo.DEMO_DIR)
    print(
        f"Demo loaded: {report.articles} articles, {report.components} components, "
        f"{report.queues} queues, {report.incidents} new incidents."
    )
    for problem in report.errors:
        print(f"skipped: {problem}")
    return 0


def kb_import(args: argparse.Namespace) -> int:
    try:
        with _write(args) as conn:
            report = import_folder(conn, args.folder, locale=args.locale)
    except FileNotFoundError as error:
        raise CliError(str(error)) from error
    print(
        f"Imported {report.created_or_changed} new or changed articles "
        f"({report.unchanged} unchanged)."
    )
    for problem in report.errors or []:
        print(f"skipped: {problem}")
    return 1 if report.errors else 0


def incident_publish(args: argparse.Namespace) -> int:
    kind = IncidentKind.maintenance if args.maintenance else IncidentKind.incident
    try:
        starts = parse_time(args.starts) if args.starts else None
        ends = parse_time(args.ends) if args.ends else None
    except ValueError as error:
        raise CliError(f"--starts/--ends: {error}") from error
    with _write(args) as conn:
        incident = status.publish_incident(
            conn,
            title=args.title,
            impact=_enum(Impact, args.impact),
            components_affected=args.components,
            body=args.body,
            kind=kind,
            keys=args.keys,
            articles=args.articles,
            scheduled_for=starts,
            scheduled_until=ends,
        )
    print(
        f"Published {incident.id}: {incident.title} ({incident.status.value}, "
        f"impact {incident.impact.value})"
    )
    return 0


def incident_update(args: argparse.Namespace) -> int:
    with _write(args) as conn:
        incident = status.update_incident(
            conn, incident_id=args.id, status=_enum(IncidentStatus, args.status), body=args.body
        )
    print(f"Updated {incident.id}: now {incident.status.value}")
    return 0


def incident_resolve(args: argparse.Namespace) -> int:
    with _write(args) as conn:
        current = status.get_incident(conn, incident_id=args.id)
        done = (
            IncidentStatus.resolved
            if current.kind is IncidentKind.incident
            else IncidentStatus.completed
        )
        if current.status in CLOSED_STATUSES:
            raise CliError(f"{args.id} is already {current.status.value}")
        status.update_incident(conn, incident_id=args.id, status=done, body=args.body)
    print(f"Resolved {args.id}")
    return 0


def incident_list(args: argparse.Namespace) -> int:
    with _database(args) as db, db.read() as conn:
        items, _ = status.list_incidents(conn, before=None, limit=50)
    for i in items:
        print(f"{i.id}  {i.status.value:<13} {i.impact.value:<8} {i.title}")
    return 0


def component_list(args: argparse.Namespace) -> int:
    with _database(args) as db, db.read() as conn:
        for c in list_components(conn):
            print(f"{c.id:<14} {c.status.value:<21} {c.name}")
    return 0


def component_set(args: argparse.Namespace) -> int:
    with _write(args) as conn:
        c = set_component_state(
            conn, component_id=args.id, status=_enum(ComponentState, args.state)
        )
    print(f"{c.id} is now {c.status.value}")
    return 0


def case_list(args: argparse.Namespace) -> int:
    state = _enum(CaseStatus, args.status) if args.status else None
    with _database(args) as db, db.read() as conn:
        items, _ = cases.list_cases(conn, status=state, limit=100)
    if not items:
        print("No cases.")
    for c in items:
        ref = f"  [{c.booking_ref}]" if c.booking_ref else ""
        print(f"{c.id}  #{c.number}  {c.status.value:<8} {c.category:<20} {c.subject}{ref}")
    return 0


def case_show(args: argparse.Namespace) -> int:
    with _database(args) as db, db.read() as conn:
        case = cases.get_case(conn, case_id=args.id)
    print(json.dumps(case.model_dump(mode="json"), indent=2, ensure_ascii=False))
    return 0


def case_reply(args: argparse.Namespace) -> int:
    with _write(args) as conn:
        target = cases.get_case(conn, case_id=args.id)
        case = cases.agent_reply(conn, case_id=target.id, body=args.body, author_name=args.author)
    print(f"Replied to #{case.number}; status {case.status.value}")
    return 0


def case_status(args: argparse.Namespace) -> int:
    with _write(args) as conn:
        target = cases.get_case(conn, case_id=args.id)
        case = cases.set_case_status(conn, case_id=target.id, status=_enum(CaseStatus, args.status))
    print(f"#{case.number} is now {case.status.value}")
    return 0


def callback_list(args: argparse.Namespace) -> int:
    with _database(args) as db, db.read() as conn:
        found = callbacks.list_callbacks(conn, queue_id=args.queue, active_only=True)
    if not found:
        print("No active callbacks.")
    for cb in found:
        when = format_time(cb.slot_start) if cb.slot_start else "as soon as possible"
        extra = "".join(
            f"  {label} {value}"
            for label, value in (("ref", cb.booking_ref), ("speaks", cb.language))
            if value
        )
        print(f"{cb.id}  {cb.queue_id:<10} {cb.status.value:<10} {cb.phone:<16} {when}{extra}")
    return 0


def callback_status(args: argparse.Namespace) -> int:
    with _write(args) as conn:
        cb = callbacks.set_callback_status(
            conn, callback_id=args.id, status=_enum(CallbackStatus, args.status)
        )
    print(f"{cb.id} is now {cb.status.value}")
    return 0


def queue_list(args: argparse.Namespace) -> int:
    with _database(args) as db, db.read() as conn:
        for q in queues.list_queues(conn):
            found, _ = free_slots(
                conn, queue_id=q.id, start=None, end=now() + timedelta(days=1), limit=1000
            )
            estimate = asap_estimate(conn, queue_id=q.id)
            asap = (
                f"ASAP wait ~{estimate.wait_minutes} min"
                if estimate.available
                else f"ASAP off: {estimate.reason}"
            )
            print(
                f"{q.id:<10} {q.name} [{q.time_zone}] - {len(found)} free slots in the next "
                f"24 h; {asap}"
            )
            for day, intervals in q.hours.items():
                print(f"    {day}: {', '.join('-'.join(i) for i in intervals)}")
    return 0


def queue_hours(args: argparse.Namespace) -> int:
    with _write(args) as conn:
        queue = queues.queue_from_row(queues.queue_row(conn, args.id))
        hours = dict(queue.hours)
        if args.closed:
            hours.pop(args.day, None)
        elif args.open_at and args.close_at:
            hours[args.day] = [[args.open_at, args.close_at]]
        else:
            raise CliError("give --open and --close, or --closed")
        queues.set_hours(conn, queue_id=args.id, hours=hours)
    opening = "closed" if args.closed else f"{args.open_at}-{args.close_at}"
    print(f"{args.id}: {args.day} is now {opening}")
    return 0


def queue_staffing(args: argparse.Namespace) -> int:
    try:
        day = date.fromisoformat(args.date)
    except ValueError as error:
        raise CliError(f"--date: {error}") from error
    with _write(args) as conn:
        queue = queues.queue_from_row(queues.queue_row(conn, args.id))
        tz = slots.zone(queue.time_zone)
        queues.set_staffing(
            conn,
            queue_id=args.id,
            agents=args.agents,
            starts_at=slots.local_to_utc(day, args.from_at, tz),
            ends_at=slots.local_to_utc(day, args.to_at, tz),
        )
    print(
        f"{args.id}: {args.agents} agents on {args.date} {args.from_at}-{args.to_at} "
        f"({queue.time_zone})"
    )
    return 0


def auth_codes(args: argparse.Namespace) -> int:
    with _database(args) as db, db.read() as conn:
        codes = sign_in.pending_codes(conn)
    if not codes:
        print("No pending sign-in codes.")
    for c in codes:
        print(f"{c['email']}  {c['code']}  (expires {c['expires_at']})")
    return 0


def token_create(args: argparse.Namespace) -> int:
    """The operator on the machine may grant any scope; the token expires after the hub's
    default unless `--ttl-days` or `--never-expires` says otherwise."""
    if args.never_expires and args.ttl_days is not None:
        raise CliError("give --ttl-days or --never-expires, not both")
    default = _settings(args).operator_token_ttl_days
    ttl = None if args.never_expires else args.ttl_days or default
    with _write(args) as conn:
        token = auth.create_operator_token(conn, scopes=args.scopes, label=args.label, ttl_days=ttl)
    print(token)
    return 0


def token_list(args: argparse.Namespace) -> int:
    with _database(args) as db, db.read() as conn:
        for t in auth.list_tokens(conn):
            state = "revoked" if t["revoked_at"] else "active"
            expires = f"expires {t['expires_at'][:10]}" if t["expires_at"] else "never expires"
            print(
                f"{t['id']}  {t['kind']:<9} {state:<8} {','.join(t['scopes']) or '-':<30} "
                f"{expires:<18} {t['label'] or ''}"
            )
    return 0


def token_revoke(args: argparse.Namespace) -> int:
    with _write(args) as conn:
        auth.revoke_token(conn, token_id=args.id)
    print(f"Revoked {args.id}")
    return 0
