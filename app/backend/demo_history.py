"""A few weeks of plausible contact history for the demo company, so that its contact
forecast has something to learn from: cases (in the app and by email) and callbacks in
each queue, spread by hour of the week (busy mornings, quiet nights and weekends), with
more while each of the demo's past incidents ran; and the subscriptions of a few hundred
customers, so that incidents touch someone.

The history ends at the start of today (local to the company) and is all done with:
cases closed, callbacks completed. Its customers are ids only (no accounts, devices or
addresses: nobody signs in as them or is alerted). Rows go in with one bulk insert a
table, so loading the demo stays quick; the same seed gives the same history."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from app.backend import slots
from app.backend.crud.cases import CASE_NUMBER_BASE
from app.backend.crud.queues import list_queues
from app.backend.db.tables import callbacks, cases, counters, incidents, subscriptions
from app.backend.util import dumps, format_time, new_id, parse_time

WEEKS = 3
FOLLOWERS = 400
SEED = 19
# Contacts per half hour at the busiest time of a weekday (before incidents).
PEAKS = {"cases": 2.5, "email": 1.0}
CALLBACK_PEAKS = (3.0, 1.5)  # the first queue (disruptions), every other queue
# The share of the peak by local hour; weekends are quieter.
BY_HOUR = [0.1] * 6 + [0.5] * 3 + [1.0] * 3 + [0.9] * 5 + [0.6] * 4 + [0.3] * 3
WEEKEND = 0.6
# What an incident adds per half hour while it runs, per stream, by impact.
INCIDENT_EXTRA = {"none": 0.0, "minor": 1.5, "major": 4.0, "critical": 8.0}
# What customers follow: (components, keys) and how many of every 100 do.
FOLLOWS = (
    ((), ("ORD",), 40),
    (("baggage",), (), 15),
    (("website-app",), ("APP",), 25),
    ((), ("DEN",), 10),
    (("flights-bos",), (), 10),
)


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method; the means here are small."""
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def _half_hours(start: datetime, end: datetime) -> Iterator[datetime]:
    moment = start
    while moment < end:
        yield moment
        moment += timedelta(minutes=30)


def load_history(conn: Connection, at: datetime) -> int:
    """Add the history before the local day of `at`; returns the contacts added."""
    queues = list_queues(conn)
    if not queues:
        return 0
    tz = slots.zone(queues[0].time_zone)
    end = slots.local_to_utc(at.astimezone(tz).date(), "00:00", tz)
    start = end - timedelta(weeks=WEEKS)
    disruptions = [
        (parse_time(r.started_at), parse_time(r.resolved_at), r.impact)
        for r in conn.execute(select(incidents).where(incidents.c.resolved_at.is_not(None)))
    ]
    peaks = {**PEAKS}
    for position, queue in enumerate(queues):
        peaks[f"callbacks:{queue.id}"] = CALLBACK_PEAKS[min(position, 1)]
    rng = random.Random(SEED)
    rows: dict[str, list[dict[str, Any]]] = {"cases": [], "callbacks": []}
    for moment in _half_hours(start, end):
        local = moment.astimezone(tz)
        share = BY_HOUR[local.hour] * (WEEKEND if local.weekday() >= 5 else 1.0)
        extra = sum(INCIDENT_EXTRA.get(i, 0.0) for s, e, i in disruptions if s <= moment < e)
        for stream, peak in peaks.items():
            for _ in range(poisson(rng, peak * share + extra)):
                when = format_time(moment + timedelta(seconds=rng.randrange(1800)))
                customer = f"demo-history-{rng.randrange(FOLLOWERS):03d}"
                if stream.startswith("callbacks:"):
                    rows["callbacks"].append(_callback(stream.split(":", 1)[1], customer, when))
                else:
                    rows["cases"].append(_case(stream, customer, when))
    _insert_cases(conn, rows["cases"])
    if rows["callbacks"]:
        conn.execute(insert(callbacks), rows["callbacks"])
    conn.execute(insert(subscriptions), _follows(at))
    return len(rows["cases"]) + len(rows["callbacks"])


def _case(stream: str, customer: str, when: str) -> dict[str, Any]:
    channel = "email" if stream == "email" else "app"
    return {
        "id": new_id("case"),
        "customer_id": customer,
        "subject": "Question about my booking",
        "description": "A past question, answered.",
        "category": "rebooking",
        "status": "closed",
        "channel": channel,
        "version": 1,
        "created_at": when,
        "updated_at": when,
    }


def _callback(queue_id: str, customer: str, when: str) -> dict[str, Any]:
    return {
        "id": new_id("cb"),
        "customer_id": customer,
        "queue_id": queue_id,
        "mode": "asap",
        "status": "completed",
        "phone": "+15555550100",
        "version": 1,
        "created_at": when,
        "updated_at": when,
    }


def _insert_cases(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Number the cases from the case counter, taken once for all of them."""
    if not rows:
        return
    taken = conn.execute(
        update(counters)
        .where(counters.c.name == "case_number")
        .values(value=counters.c.value + len(rows))
        .returning(counters.c.value)
    ).scalar_one()
    first = CASE_NUMBER_BASE + int(taken) - len(rows) + 1
    conn.execute(insert(cases), [{**row, "number": first + n} for n, row in enumerate(rows)])


def _follows(at: datetime) -> list[dict[str, Any]]:
    found = []
    kinds = [(c, k) for c, k, share in FOLLOWS for _ in range(share)]
    for n in range(FOLLOWERS):
        components, keys = kinds[n % len(kinds)]
        data = {"components": list(components), "keys": list(keys)}
        found.append(
            {
                "customer_id": f"demo-history-{n:03d}",
                "data": dumps(data),
                "version": 1,
                "updated_at": format_time(at),
            }
        )
    return found
