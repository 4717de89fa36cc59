"""Hourly series for the console's charts, in UTC and zero-filled: contacts (cases opened
and customer replies, by channel), callback demand against capacity, and votes on
articles. Hours are grouped by the first 13 characters of the stored RFC 3339 times
("2026-12-07T17"), which SQLite and PostgreSQL read alike."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Select, func, select

from app.backend.crud.availability import queue_slots
from app.backend.crud.queues import list_queues
from app.backend.db.tables import article_feedback, callbacks, case_messages, cases
from app.backend.util import format_time, now
from app.schemas import MessageAuthor
from app.schemas.console import ChartSeries, HourPoint

Counts = dict[str, dict[str, int]]  # hour key -> series name -> count


def hours_until(hours: int, at: datetime | None = None) -> list[datetime]:
    """The last `hours` whole UTC hours, the current one last."""
    last = (at or now()).replace(minute=0, second=0, microsecond=0)
    return [last - timedelta(hours=n) for n in range(hours - 1, -1, -1)]


def _key(hour: datetime) -> str:
    return format_time(hour)[:13]


def _hour(column: Any) -> Any:
    return func.substr(column, 1, 13).label("hour")


def _add(counts: Counts, rows: Iterable[Any], name: Any) -> None:
    """Add rows of (hour, group..., count), each to the series `name(row)` names."""
    for row in rows:
        series = counts.setdefault(row.hour, {})
        series[name(row)] = series.get(name(row), 0) + int(row.n)


def _series(name: str, hours: list[datetime], counts: Counts, names: Iterable[str]) -> ChartSeries:
    every = sorted(set(names))
    return ChartSeries(
        name=name,
        points=[
            HourPoint(hour=h, values={n: counts.get(_key(h), {}).get(n, 0) for n in every})
            for h in hours
        ],
    )


def _within(query: Select[Any], column: Any, hours: list[datetime]) -> Select[Any]:
    start, end = hours[0], hours[-1] + timedelta(hours=1)
    return query.where(column >= format_time(start), column < format_time(end))


def contacts(conn: Connection, hours: list[datetime]) -> ChartSeries:
    """`opened:<channel>` and `replies:<channel>` (customers' messages on cases opened
    through that channel)."""
    counts: Counts = {}
    opened = select(_hour(cases.c.created_at), cases.c.channel, func.count().label("n"))
    opened = _within(opened, cases.c.created_at, hours).group_by("hour", cases.c.channel)
    _add(counts, conn.execute(opened), lambda r: f"opened:{r.channel}")
    replies = (
        select(_hour(case_messages.c.created_at), cases.c.channel, func.count().label("n"))
        .join(cases, cases.c.id == case_messages.c.case_id)
        .where(case_messages.c.author == MessageAuthor.customer.value)
    )
    replies = _within(replies, case_messages.c.created_at, hours).group_by("hour", cases.c.channel)
    _add(counts, conn.execute(replies), lambda r: f"replies:{r.channel}")
    channels = {"app"} | {n.split(":", 1)[1] for series in counts.values() for n in series}
    names = [f"{kind}:{c}" for c in channels for kind in ("opened", "replies")]
    return _series("contacts", hours, counts, names)


def demand(conn: Connection, hours: list[datetime]) -> ChartSeries:
    """`requested` (callbacks asked for, ASAP or in a slot) against `capacity` (the calls
    the agents on duty can take in the slots starting that hour, every queue together)."""
    counts: Counts = {}
    requested = select(_hour(callbacks.c.created_at), func.count().label("n"))
    requested = _within(requested, callbacks.c.created_at, hours).group_by("hour")
    _add(counts, conn.execute(requested), lambda _r: "requested")
    start, end = hours[0], hours[-1] + timedelta(hours=1)
    for queue in list_queues(conn):
        for window in queue_slots(conn, queue_id=queue.id, start=start, end=end):
            series = counts.setdefault(_key(window.start), {})
            series["capacity"] = series.get("capacity", 0) + window.capacity
    return _series("demand", hours, counts, ["requested", "capacity"])


def helpfulness(conn: Connection, hours: list[datetime]) -> ChartSeries:
    """`helpful` and `unhelpful` votes on articles."""
    counts: Counts = {}
    votes = select(
        _hour(article_feedback.c.created_at), article_feedback.c.helpful, func.count().label("n")
    )
    votes = _within(votes, article_feedback.c.created_at, hours).group_by(
        "hour", article_feedback.c.helpful
    )
    _add(counts, conn.execute(votes), lambda r: "helpful" if r.helpful else "unhelpful")
    return _series("helpfulness", hours, counts, ["helpful", "unhelpful"])
