"""The operator CLI's commands for the channel outbox to the company's helpdesk: is it
reachable and how far behind is it, what waits, replaying what it refused, and a
reconciliation pass now."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.backend.channels import outbox
from app.backend.channels.connector import Connector, ConnectorRefused, ConnectorUnavailable
from app.backend.channels.delivery import ChannelOutbox
from app.backend.channels.registry import build_connector
from app.backend.cli_commands import CliError, database, read, settings_from, write
from app.backend.util import format_time, now

Command = Callable[[argparse.Namespace], int]
if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]
    AddCommand = Callable[[Commands, str, Command, str], argparse.ArgumentParser]
PROBE = "careline-reachability-probe"  # a case id no ticket has: a harmless lookup


def add_commands(top: Commands, add: AddCommand) -> None:
    """`channels status|backlog|replay|reconcile` on the CLI's top level."""
    group = top.add_parser("channels", help="the outbox to the company's helpdesk")
    sub = group.add_subparsers(dest="sub", required=True)
    add(sub, "status", channels_status, "the helpdesk connector, reachable?, backlog by state")
    p = add(sub, "backlog", channels_backlog, "items not yet delivered, oldest first")
    p.add_argument("--all", action="store_true", help="delivered items too")
    p = add(sub, "replay", channels_replay, "try refused (failed) items again")
    p.add_argument("id", nargs="?", type=int, help="one item's id")
    p.add_argument("--failed", action="store_true", help="every failed item")
    add(sub, "reconcile", channels_reconcile, "apply what open tickets hold and the hub lacks")


def _age(seconds: float) -> str:
    minutes, _ = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


async def _probe(connector: Connector) -> str:
    try:
        await connector.find_ticket(PROBE)
    except (ConnectorUnavailable, ConnectorRefused) as error:
        return f"no ({error})"
    finally:
        await connector.aclose()
    return "yes"


def channels_status(args: argparse.Namespace) -> int:
    connector = build_connector(settings_from(args))
    with read(args) as conn:
        counts = outbox.counts(conn)
        oldest = outbox.oldest_pending(conn)
    if connector is None:
        print("Connector: none (set CARELINE_HELPDESK to feed a helpdesk)")
    else:
        print(f"Connector: {connector.name}")
        print(f"Reachable: {asyncio.run(_probe(connector))}")
    print("Backlog: " + ", ".join(f"{state} {count}" for state, count in counts.items()))
    age = "none pending" if oldest is None else _age((now() - oldest).total_seconds())
    print(f"Oldest pending: {age}")
    return 0


def channels_backlog(args: argparse.Namespace) -> int:
    with read(args) as conn:
        items = outbox.backlog(conn, include_done=args.all)
    if not items:
        print("Nothing waits for the helpdesk.")
        return 0
    for item in items:
        what = f"{item.kind.value} {item.message_id}" if item.message_id else item.kind.value
        line = (
            f"#{item.id} {item.state.value:7} {item.connector} case {item.case_id} {what}"
            f" attempts {item.attempts} next {format_time(item.next_attempt_at)}"
        )
        print(line + (f"\n    last error: {item.last_error}" if item.last_error else ""))
    return 0


def channels_replay(args: argparse.Namespace) -> int:
    if (args.id is None) == (not args.failed):
        raise CliError("name one item's ID or --failed (not both)")
    with write(args) as conn:
        count = outbox.replay(conn, item_id=args.id, failed=args.failed)
    if args.id is not None and count == 0:
        raise CliError(f"item #{args.id} is not a failed item")
    print(f"Replaying {count} item(s): the hub delivers them on its next round.")
    return 0


def channels_reconcile(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    connector = build_connector(settings)
    if connector is None:
        raise CliError("no helpdesk is configured (CARELINE_HELPDESK)")

    async def run() -> int:
        with database(args) as db:
            channel = ChannelOutbox(
                db,
                connector,
                max_messages=settings.max_case_messages,
                max_attachment_bytes=settings.max_attachment_bytes,
            )
            try:
                return await channel.reconcile()
            finally:
                await connector.aclose()

    applied = asyncio.run(run())
    print(f"Reconciled with {connector.name}: {applied} change(s) applied.")
    return 0
