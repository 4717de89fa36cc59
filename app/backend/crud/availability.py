"""Availability: a queue's slots with room left, the ASAP wait, and taking a seat.

Capacity is enforced by the database: a booking is a conditional increment of the slot's
counter (`booked < capacity`), which concurrent transactions cannot both pass."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.backend import slots, waits
from app.backend.crud.queues import queue_from_row, queue_row
from app.backend.crud.queues import staffing_between as _staffing
from app.backend.crud.rejections import MutationRejected
from app.backend.crud.waits import booked_calls, no_answer_rate
from app.backend.db.tables import callbacks, slot_usage
from app.backend.util import format_time, loads, now, parse_time
from app.schemas import AsapEstimate, Availability, Slot


def _windows(
    conn: Connection, row: Row[Any], start: datetime, end: datetime
) -> list[slots.SlotWindow]:
    """The queue's slots in [start, end); the staffing read covers their whole local days,
    which `slots` works out once each and keeps (keyed by hours and staffing, so a change
    to either is seen at once, by every hub process)."""
    span = slots.days_span(row.time_zone, row.slot_minutes, start, end)
    return slots.slot_windows(
        hours=loads(row.hours),
        time_zone=row.time_zone,
        slot_minutes=row.slot_minutes,
        handle_minutes=row.handle_minutes,
        staffing=_staffing(conn, row.id, *span),
        start=start,
        end=end,
    )


def _bookable_range(row: Row[Any], at: datetime) -> tuple[datetime, datetime]:
    return (at + timedelta(minutes=row.min_notice_minutes), at + timedelta(days=row.horizon_days))


def _within_reach(
    row: Row[Any], start: datetime | None, end: datetime | None, at: datetime
) -> tuple[datetime, datetime]:
    """[start, end) cut to what is bookable at `at`: past the queue's notice and before its
    horizon (None on either side: up to that limit)."""
    earliest, latest = _bookable_range(row, at)
    return max(start or earliest, earliest), min(end or latest, latest)


def free_slots(
    conn: Connection,
    *,
    queue_id: str,
    start: datetime | None,
    end: datetime | None,
    limit: int,
    at: datetime | None = None,
) -> tuple[list[Slot], str | None]:
    """Slots with room left in [start, end) within notice and horizon, earliest first;
    and the start of the next one when there are more than `limit`."""
    return _free_slots(conn, queue_row(conn, queue_id), start, end, limit, at)


def _free_slots(
    conn: Connection,
    row: Row[Any],
    start: datetime | None,
    end: datetime | None,
    limit: int,
    at: datetime | None = None,
) -> tuple[list[Slot], str | None]:
    start, end = _within_reach(row, start, end, at or now())
    if start >= end:
        return [], None
    windows = _windows(conn, row, start, end)
    used = {
        parse_time(slot_start): booked
        for slot_start, booked in conn.execute(
            select(slot_usage.c.slot_start, slot_usage.c.booked).where(
                slot_usage.c.queue_id == row.id,
                slot_usage.c.slot_start >= format_time(start),
                slot_usage.c.slot_start < format_time(end),
            )
        )
    }
    found: list[Slot] = []
    for w in windows:
        remaining = w.capacity - used.get(w.start, 0)
        if remaining > 0:
            if len(found) == limit:
                return found, format_time(w.start)
            # Built here from UTC times and a count: nothing to validate, and up to 500
            # slots per request.
            found.append(Slot.model_construct(start=w.start, end=w.end, remaining=remaining))
    return found, None


OPENS_WITHIN = timedelta(days=8)  # a week of opening hours, and the day the week ends on


def _opens_at(conn: Connection, row: Row[Any], moment: datetime) -> datetime | None:
    """When a closed (or unstaffed) queue next has an agent on duty in its hours: the
    start of its first staffed slot within the next week; None if none is planned."""
    windows = _windows(conn, row, moment, moment + OPENS_WITHIN)
    return next((w.start for w in windows if w.capacity > 0 and w.start >= moment), None)


def asap_estimate(conn: Connection, *, queue_id: str, at: datetime | None = None) -> AsapEstimate:
    """The ASAP wait customers are shown: a new request's, behind every one waiting now."""
    return asap_estimates(conn, queue_id=queue_id, at=at)[0]


def asap_estimates(
    conn: Connection,
    *,
    queue_id: str,
    ahead: Sequence[int] | None = None,
    at: datetime | None = None,
) -> list[AsapEstimate]:
    """The ASAP wait of a request with each of `ahead` calls ahead of it (None: one new
    request behind every ASAP request waiting now), all at the same moment: the operator's
    board gives each waiting callback the wait a customer in its place is shown."""
    row = queue_row(conn, queue_id)
    moment = at or now()
    if not slots.is_open(loads(row.hours), row.time_zone, moment):
        closed = AsapEstimate(
            available=False,
            reason="The queue is closed now.",
            opens_at=_opens_at(conn, row, moment),
        )
        return [closed] * (1 if ahead is None else len(ahead))
    agents = slots.agents_at(_staffing(conn, queue_id, moment, moment), moment)
    if agents == 0:
        unstaffed = AsapEstimate(
            available=False,
            reason="No agents are on duty now.",
            opens_at=_opens_at(conn, row, moment),
        )
        return [unstaffed] * (1 if ahead is None else len(ahead))
    if ahead is None:
        ahead = [
            len(
                conn.execute(
                    select(callbacks.c.id).where(
                        callbacks.c.queue_id == queue_id,
                        callbacks.c.mode == "asap",
                        callbacks.c.status == "requested",
                    )
                ).all()
            )
        ]
    return _honest_waits(conn, row, list(ahead), moment)


def _honest_waits(
    conn: Connection, row: Row[Any], ahead: Sequence[int], moment: datetime
) -> list[AsapEstimate]:
    """The waits of `ahead` (README, "Honest waits"): capacity free of booked calls, the
    no-answer rate, and the queue's closing time; `slots_first` here only for a wait past
    closing (`availability` also sets it when a free slot comes sooner)."""
    end = moment + OPENS_WITHIN
    pieces = waits.capacity(
        hours=loads(row.hours),
        time_zone=row.time_zone,
        staffing=_staffing(conn, row.id, moment, end),
        booked=booked_calls(conn, row.id, moment, end),
        slot_minutes=row.slot_minutes,
        handle_minutes=row.handle_minutes,
        start=moment,
        end=end,
    )
    work_each = waits.work_per_call(row.handle_minutes, no_answer_rate(conn, row.id, moment))
    closes = waits.closes_at(loads(row.hours), row.time_zone, moment, end)
    found: list[AsapEstimate] = []
    next_opening: datetime | None = None
    for waiting in ahead:
        wait = waits.estimate(
            ahead=waiting, work_each=work_each, pieces=pieces, at=moment, closes_at=closes or end
        )
        late = wait is None or wait.past_closing
        if late and next_opening is None:
            next_opening = _opens_at(conn, row, closes or end)
        found.append(
            AsapEstimate(
                available=True,
                wait_minutes=wait.minutes if wait else None,
                low_minutes=wait.low if wait else None,
                high_minutes=wait.high if wait else None,
                past_closing=late,
                closes_at=closes,
                next_opening=next_opening if late else None,
                slots_first=late,
            )
        )
    return found


def queue_slots(
    conn: Connection, *, queue_id: str, start: datetime, end: datetime
) -> list[slots.SlotWindow]:
    """The queue's staffed slots starting in [start, end), with their capacity, bookable
    or not (past ones too): what the operator's board and charts set bookings against."""
    return _windows(conn, queue_row(conn, queue_id), start, end)


def availability(
    conn: Connection,
    *,
    queue_id: str,
    start: datetime | None,
    end: datetime | None,
    limit: int,
    at: datetime | None = None,
    max_days: int | None = None,
) -> Availability:
    """Free slots and the ASAP wait. At most `max_days` from the range's start are looked
    at: a longer range (the default whole horizon too) is cut there, and `next_cursor`
    pages on from the cut, as from a full page."""
    row = queue_row(conn, queue_id)
    moment = at or now()
    first, last = _within_reach(row, start, end, moment)
    cut = first + timedelta(days=max_days) if max_days else last
    found, cursor = _free_slots(conn, row, first, min(last, cut), limit, moment)
    if cursor is None and cut < last:
        cursor = format_time(cut)
    asap = asap_estimate(conn, queue_id=queue_id, at=moment)
    if asap.available:
        first_free = found[0].start if found else None
        asap.slots_first = waits.slots_first(
            asap.past_closing, asap.high_minutes, first_free, moment
        )
    return Availability(
        queue=queue_from_row(row),
        asap=asap,
        slots=found,
        next_cursor=cursor,
    )


def nearest_free_slots(
    conn: Connection, queue_id: str, near: datetime | None
) -> list[dict[str, Any]]:
    """The three free slots nearest to `near` (or the earliest ones). A full slot's
    alternatives are found inside the booking's transaction, which holds the write lock,
    so the search starts a day either side of `near` and widens only while it finds fewer
    than three: any slot outside the searched range is farther than those inside it."""
    if near is None:
        found, _ = free_slots(conn, queue_id=queue_id, start=None, end=None, limit=3)
        return [s.model_dump(mode="json") for s in found]
    earliest, latest = _bookable_range(queue_row(conn, queue_id), now())
    reach = timedelta(days=1)
    while True:
        start, end = near - reach, near + reach
        found, _ = free_slots(conn, queue_id=queue_id, start=start, end=end, limit=10_000)
        if len(found) >= 3 or (start <= earliest and end >= latest):
            break
        reach *= 4
    found.sort(key=lambda s: abs((s.start - near).total_seconds()))
    return [s.model_dump(mode="json") for s in sorted(found[:3], key=lambda s: s.start)]


def take_slot(conn: Connection, row: Row[Any], slot_start: datetime) -> datetime:
    """Book one seat of the slot starting at `slot_start`; returns the slot's end."""
    earliest, latest = _bookable_range(row, now())
    window = None
    if earliest <= slot_start < latest:
        windows = _windows(conn, row, slot_start, slot_start + timedelta(seconds=1))
        window = next((w for w in windows if w.start == slot_start), None)
    if window is None:
        raise MutationRejected(
            "slot_unavailable",
            "That time is not bookable in this queue.",
            nearest_free_slots(conn, row.id, slot_start),
        )
    key = format_time(slot_start)
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    conn.execute(
        dialect.insert(slot_usage)
        .values(queue_id=row.id, slot_start=key, booked=0)
        .on_conflict_do_nothing()
    )
    taken = conn.execute(
        update(slot_usage)
        .where(
            slot_usage.c.queue_id == row.id,
            slot_usage.c.slot_start == key,
            slot_usage.c.booked < window.capacity,
        )
        .values(booked=slot_usage.c.booked + 1)
    ).rowcount
    if taken != 1:
        raise MutationRejected(
            "slot_full",
            "Someone just booked the last place in that slot.",
            nearest_free_slots(conn, row.id, slot_start),
        )
    return window.end


def release_slot(conn: Connection, queue_id: str, slot_start: str | None) -> None:
    if slot_start is None:
        return
    conn.execute(
        update(slot_usage)
        .where(
            slot_usage.c.queue_id == queue_id,
            slot_usage.c.slot_start == slot_start,
            slot_usage.c.booked > 0,
        )
        .values(booked=slot_usage.c.booked - 1)
    )
