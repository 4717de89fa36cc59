"""The operator CLI's contact forecast: `forecast [--queue Q] [--json]`, a table per
queue of the half hours from now to 24 hours ahead (expected contacts, agents planned,
agents needed, the gap), or the whole forecast with today's actuals as JSON. Incident
titles are printed through `printable`, so none can move the cursor or recolour the
terminal."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.backend import slots
from app.backend.cli_commands import CliError, read, settings_from
from app.backend.crud import forecast
from app.backend.problems import ProblemError
from app.schemas.forecast import ContactForecast
from app.schemas.warnings import printable

Command = Callable[[argparse.Namespace], int]
if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]
    AddCommand = Callable[[Commands, str, Command, str], argparse.ArgumentParser]

HEADER = (
    f"{'interval':<13} {'callbacks':>9} {'cases':>6} {'email':>6} "
    f"{'planned':>7} {'needed':>6} {'gap':>4}"
)


def add_commands(top: Commands, add: AddCommand) -> None:
    p = add(top, "forecast", show, "expected contacts and staffing advice, next 24 hours")
    p.add_argument("--queue", help="one queue (default: every queue)")
    p.add_argument("--json", action="store_true", help="as JSON, with today's actuals")


def show(args: argparse.Namespace) -> int:
    target = forecast.Target.from_settings(settings_from(args))
    try:
        with read(args) as conn:
            found = [
                forecast.queue_forecast(conn, queue_id=queue_id, target=target)
                for queue_id in forecast.queue_ids(conn, args.queue)
            ]
    except ProblemError as error:
        raise CliError(error.problem.detail or error.problem.title) from error
    except ValueError as error:
        raise CliError(str(error)) from error
    if args.json:
        print(json.dumps([f.model_dump(mode="json") for f in found], indent=2))
        return 0
    for queue in found:
        print(table(queue))
    return 0


def table(queue: ContactForecast) -> str:
    """The queue's half hours from the current one on, local times; a gap above 0 is
    agents short (marked `!`)."""
    tz = slots.zone(queue.time_zone)
    share = f"{queue.target_share:.0%} within {queue.target_minutes:g} min"
    lines = [
        f"{queue.queue} ({queue.time_zone}; target {share}; handle {queue.handle_minutes} min;"
        f" {queue.history_weeks:g} weeks of history)"
    ]
    for incident in queue.active_incidents:
        title = printable(incident.title, 80)
        lines.append(f"  incident: {title} ({incident.impact}, {incident.touched} following)")
    lines.append(HEADER)
    ahead = [i for i in queue.intervals if i.end > queue.generated_at]
    for interval in ahead:
        start, end = interval.start.astimezone(tz), interval.end.astimezone(tz)
        expected = interval.expected
        mark = "!" if interval.gap > 0 else ("" if interval.open else " closed")
        lines.append(
            f"{start:%a %H:%M}-{end:%H:%M} {expected.callbacks:>9.1f} {expected.cases:>6.1f}"
            f" {expected.email:>6.1f} {interval.planned_agents:>7} {interval.needed_agents:>6}"
            f" {interval.gap:>+4}{mark}"
        )
    return "\n".join(lines) + "\n"
