"""Honest ASAP waits, pure: a range from the calls ahead, the agents free of booked calls
and the measured no-answer rate, walked through the queue's opening hours.

The model (README, "Honest waits"). A new ASAP request with `ahead` calls waiting before it
is called once `ahead + 1` calls have ended, every agent being busy. Calls are taken to end
as a Poisson stream, one per `w` agent-minutes of work, where `w` is the mean agent time a
call takes: `w = (1 - p) * handle + p * NO_ANSWER_MINUTES`, `p` the no-answer rate. So the
agent-minutes worked before the call is Erlang(ahead + 1, w)-distributed: its LOW_QUANTILE
and HIGH_QUANTILE give the range and its mean the single figure old apps show.

Agent-minutes become clock time by walking the capacity free for ASAP calls from now on:
the agents on duty inside opening hours, less those on booked slot calls (called first
once their slot begins, each holding an agent for `handle` minutes). Time outside opening hours adds
nothing, so a wait that runs past closing carries on at the next opening; `past_closing`
says when the range's late end lies beyond the current closing time."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import NormalDist

from app.backend import slots

NO_ANSWER_MINUTES = 3.0  # an agent's time on a call nobody answers: ringing out, a note
LOW_QUANTILE, HIGH_QUANTILE = 0.1, 0.9  # the range holds the actual wait 8 times in 10
NO_ANSWER_WINDOW = timedelta(days=7)  # finished calls the no-answer rate is measured over
NO_ANSWER_MIN_CALLS = 20  # fewer finished calls than this: no rate is assumed (0)
ROUND_TO = 5  # a range above ROUND_ABOVE minutes is widened outward to 5-minute marks
ROUND_ABOVE = 15
OVER_CAPACITY_MINUTES = 60  # an early end this far off, beaten by a free slot: slots first


@dataclass(frozen=True)
class Capacity:
    """Agents free for ASAP calls in [start, end)."""

    start: datetime
    end: datetime
    agents: int


@dataclass(frozen=True)
class Wait:
    """When a new ASAP request is likely called: its mean and its range, in minutes from
    now; `past_closing` when the late end runs past the current opening's close."""

    minutes: int
    low: int
    high: int
    past_closing: bool


def no_answer_rate(missed: int, completed: int) -> float:
    """Calls nobody answered among those finished; 0 until there are enough to tell."""
    finished = missed + completed
    return missed / finished if finished >= NO_ANSWER_MIN_CALLS else 0.0


def work_per_call(handle_minutes: int, rate: float) -> float:
    """Mean agent-minutes a waiting call takes, a no-answer being quicker than a talk."""
    return (1 - rate) * handle_minutes + rate * min(NO_ANSWER_MINUTES, handle_minutes)


def erlang_quantile(calls: int, mean_each: float, q: float) -> float:
    """The q-quantile of the sum of `calls` exponentials of mean `mean_each`
    (Wilson-Hilferty: within 1% from 3 calls, within 7% at 1)."""
    z = NormalDist().inv_cdf(q)
    shape = 1 / (9 * calls)
    return calls * mean_each * max(0.0, 1 - shape + z * math.sqrt(shape)) ** 3


def closes_at(
    hours: slots.OpeningHours, time_zone: str, moment: datetime, horizon: datetime
) -> datetime | None:
    """When the opening `moment` is in ends: windows that meet (a day open until midnight
    and the next from midnight) are one opening. None: open up to `horizon`."""
    windows = slots.opening_windows(hours, slots.zone(time_zone), moment, horizon)
    closes = moment
    for open_at, close_at in sorted(windows):
        if open_at <= closes < close_at:
            closes = close_at
    return closes if closes < horizon else None


def held_by_bookings(
    staffing: Sequence[slots.StaffingInterval],
    booked: Mapping[datetime, int],
    slot_minutes: int,
    handle_minutes: int,
) -> list[tuple[datetime, datetime, int]]:
    """(start, end, agents) the booked calls hold: called first once their slot begins,
    by as many of the agents then on duty as there are calls, round after round of
    `handle_minutes`, within the slot."""
    step, handle = timedelta(minutes=slot_minutes), timedelta(minutes=handle_minutes)
    found = []
    for slot_start, calls in booked.items():
        agents = slots.agents_at(staffing, slot_start)
        at, left = slot_start, calls
        while agents > 0 and left > 0 and at < slot_start + step:
            found.append((at, min(at + handle, slot_start + step), min(agents, left)))
            at, left = at + handle, left - agents
    return found


def capacity(
    *,
    hours: slots.OpeningHours,
    time_zone: str,
    staffing: Sequence[slots.StaffingInterval],
    booked: Mapping[datetime, int],
    slot_minutes: int,
    handle_minutes: int,
    start: datetime,
    end: datetime,
) -> list[Capacity]:
    """The agents free for ASAP calls in [start, end), in pieces that start and end at
    opening, staffing and booked-call boundaries; closed time is left out. `booked`
    counts the booked calls by slot start."""
    tz = slots.zone(time_zone)
    held = held_by_bookings(staffing, booked, slot_minutes, handle_minutes)
    found: list[Capacity] = []
    for open_at, close_at in slots.opening_windows(hours, tz, start, end):
        lo, hi = max(open_at, start), min(close_at, end)
        cuts = {lo, hi}
        cuts.update(m for s in staffing for m in (s.starts_at, s.ends_at) if lo < m < hi)
        cuts.update(m for h in held for m in h[:2] if lo < m < hi)
        ordered = sorted(cuts)
        for a, b in itertools.pairwise(ordered):
            busy = sum(agents for s, e, agents in held if s <= a < e)
            free = slots.agents_at(staffing, a) - busy
            if free > 0:
                found.append(Capacity(a, b, free))
    return found


def time_for(pieces: Sequence[Capacity], work: float) -> datetime | None:
    """When `work` agent-minutes have been done by the free agents of `pieces` (None: not
    within them)."""
    left = work
    for piece in pieces:
        minutes = (piece.end - piece.start).total_seconds() / 60
        if piece.agents * minutes >= left:
            return piece.start + timedelta(minutes=left / piece.agents)
        left -= piece.agents * minutes
    return None


def estimate(
    *,
    ahead: int,
    work_each: float,
    pieces: Sequence[Capacity],
    at: datetime,
    closes_at: datetime,
) -> Wait | None:
    """The wait of a new request with `ahead` calls before it (None: the free capacity of
    `pieces` never gets to it)."""
    calls = ahead + 1
    late = time_for(pieces, erlang_quantile(calls, work_each, HIGH_QUANTILE))
    mean = time_for(pieces, calls * work_each)
    early = time_for(pieces, erlang_quantile(calls, work_each, LOW_QUANTILE))
    if late is None or mean is None or early is None:
        return None

    def minutes(moment: datetime) -> float:
        return (moment - at).total_seconds() / 60

    low, high = minutes(early), minutes(late)
    if high > ROUND_ABOVE:
        low, high = ROUND_TO * math.floor(low / ROUND_TO), ROUND_TO * math.ceil(high / ROUND_TO)
    shown = max(1, math.ceil(minutes(mean)))
    low_shown = max(1, min(math.floor(low), shown))
    return Wait(
        minutes=shown,
        low=low_shown,
        high=max(math.ceil(high), shown, low_shown + 1),
        past_closing=late > closes_at,
    )


def slots_first(
    past_closing: bool, low_minutes: int | None, first_free: datetime | None, at: datetime
) -> bool:
    """Whether the queue is over capacity, so that booking a time is the better offer:
    the wait may run past closing, or even its early end is an hour or more away
    (OVER_CAPACITY_MINUTES) and a free slot starts before it."""
    if past_closing or low_minutes is None:
        return True
    if low_minutes < OVER_CAPACITY_MINUTES or first_free is None:
        return False
    return first_free < at + timedelta(minutes=low_minutes)
