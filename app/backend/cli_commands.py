"""What the operator CLI's commands share, and the service desk's commands (cases,
callbacks, queues). Every command works on the hub's database directly, through the same
crud functions as the HTTP API, so both always agree; `cli_status` and `cli_hub` hold the
other commands."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection

from app.backend import slots
from app.backend.crud import attachments, audit, callbacks, cases, queues
from app.backend.crud.availability import asap_estimate, free_slots
from app.backend.db import Database, migrate
from app.backend.db.engine import private_folder
from app.backend.problems import ProblemError
from app.backend.settings import HubSettings
from app.backend.settings_env import load_settings
from app.backend.util import format_time, now
from app.schemas import CallbackStatus, CaseStatus
from app.schemas.files import type_for_filename

E = TypeVar("E", bound=StrEnum)


class CliError(Exception):
    """A command failed for a reason the operator can fix; printed without a traceback."""


def settings_from(args: argparse.Namespace) -> HubSettings:
    return load_settings(data_dir=args.data_dir, database_url=args.database_url)


@contextmanager
def database(args: argparse.Namespace) -> Iterator[Database]:
    """The hub's database, migrated to the latest version, for one command."""
    settings = settings_from(args)
    private_folder(settings.data_dir)
    db = Database(settings.database_url, pool_size=2)
    try:
        migrate(db)
        yield db
    finally:
        db.dispose()


@contextmanager
def read(args: argparse.Namespace) -> Iterator[Connection]:
    """One read of the hub's database."""
    with database(args) as db, db.read() as conn:
        yield conn


@contextmanager
def write(args: argparse.Namespace) -> Iterator[Connection]:
    """One transaction; crud refusals become clear CLI errors."""
    try:
        with database(args) as db, db.write() as conn:
            yield conn
    except ProblemError as error:
        raise CliError(error.problem.detail or error.problem.title) from error
    except ValueError as error:
        raise CliError(str(error)) from error


def choice(kind: type[E], value: str) -> E:
    """The member of `kind` the operator named, or a CliError listing them."""
    try:
        return kind(value)
    except ValueError as error:
        choices = ", ".join(member.value for member in kind)
        raise CliError(f"{value!r} is not one of: {choices}") from error


def case_list(args: argparse.Namespace) -> int:
    state = choice(CaseStatus, args.status) if args.status else None
    with read(args) as conn:
        items, _ = cases.list_cases(conn, status=state, limit=100)
    if not items:
        print("No cases.")
    for c in items:
        ref = f"  [{c.booking_ref}]" if c.booking_ref else ""
        print(f"{c.id}  #{c.number}  {c.status.value:<8} {c.category:<20} {c.subject}{ref}")
    return 0


def case_show(args: argparse.Namespace) -> int:
    with read(args) as conn:
        case = cases.get_case(conn, case_id=args.id)
    print(json.dumps(case.model_dump(mode="json"), indent=2, ensure_ascii=False))
    return 0


def case_reply(args: argparse.Namespace) -> int:
    """An agent's reply, with the files named by `--attach` (checked as a customer's)."""
    files = [read_file(Path(name)) for name in args.attach or ()]
    limit = settings_from(args).max_attachment_bytes
    with write(args) as conn:
        target = cases.get_case(conn, case_id=args.id)
        ids = [
            attachments.store_agent_attachment(
                conn,
                case_id=target.id,
                filename=path.name,
                content_type=type_for_filename(path.name) or "application/octet-stream",
                data=data,
                max_bytes=limit,
            ).id
            for path, data in files
        ]
        case = cases.agent_reply(
            conn, case_id=target.id, body=args.body, author_name=args.author, attachment_ids=ids
        )
        audit.record(conn, None, "case.reply", case.id, {"status": case.status})
    attached = f" with {len(ids)} file(s)" if ids else ""
    print(f"Replied to #{case.number}{attached}; status {case.status.value}")
    return 0


def read_file(path: Path) -> tuple[Path, bytes]:
    try:
        return path, path.read_bytes()
    except OSError as error:
        raise CliError(f"{path}: {error.strerror or error}") from error


def case_status(args: argparse.Namespace) -> int:
    with write(args) as conn:
        target = cases.get_case(conn, case_id=args.id)
        case = cases.set_case_status(
            conn, case_id=target.id, status=choice(CaseStatus, args.status)
        )
        audit.record(conn, None, "case.status", case.id, {"status": case.status})
    print(f"#{case.number} is now {case.status.value}")
    return 0


def callback_list(args: argparse.Namespace) -> int:
    with read(args) as conn:
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
    with write(args) as conn:
        cb = callbacks.set_callback_status(
            conn, callback_id=args.id, status=choice(CallbackStatus, args.status)
        )
        audit.record(conn, None, "callback.status", cb.id, {"status": cb.status})
    print(f"{cb.id} is now {cb.status.value}")
    return 0


def queue_list(args: argparse.Namespace) -> int:
    with read(args) as conn:
        for q in queues.list_queues(conn):
            found, _ = free_slots(
                conn, queue_id=q.id, start=None, end=now() + timedelta(days=1), limit=1000
            )
            estimate = asap_estimate(conn, queue_id=q.id)
            asap = (
                f"ASAP wait ~{estimate.wait_minutes} min "
                f"({estimate.low_minutes}-{estimate.high_minutes})"
                + (", may run past closing" if estimate.past_closing else "")
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
    with write(args) as conn:
        queue = queues.queue_from_row(queues.queue_row(conn, args.id))
        hours = dict(queue.hours)
        if args.closed:
            hours.pop(args.day, None)
        elif args.open_at and args.close_at:
            hours[args.day] = [[args.open_at, args.close_at]]
        else:
            raise CliError("give --open and --close, or --closed")
        queues.set_hours(conn, queue_id=args.id, hours=hours)
        audit.record(conn, None, "queue.hours", args.id, {"hours": hours})
    opening = "closed" if args.closed else f"{args.open_at}-{args.close_at}"
    print(f"{args.id}: {args.day} is now {opening}")
    return 0


def queue_staffing(args: argparse.Namespace) -> int:
    try:
        day = date.fromisoformat(args.date)
    except ValueError as error:
        raise CliError(f"--date: {error}") from error
    with write(args) as conn:
        queue = queues.queue_from_row(queues.queue_row(conn, args.id))
        tz = slots.zone(queue.time_zone)
        queues.set_staffing(
            conn,
            queue_id=args.id,
            agents=args.agents,
            starts_at=slots.local_to_utc(day, args.from_at, tz),
            ends_at=slots.local_to_utc(day, args.to_at, tz),
        )
        detail = {"date": args.date, "from": args.from_at, "to": args.to_at, "agents": args.agents}
        audit.record(conn, None, "queue.staffing", args.id, detail)
    print(
        f"{args.id}: {args.agents} agents on {args.date} {args.from_at}-{args.to_at} "
        f"({queue.time_zone})"
    )
    return 0
