"""The baseline: expected contacts per half hour of the week, learned from history.

Half hours are local to the queue's time zone, so Monday 09:00 is Monday 09:00 in winter
and in summer, and the intervals are walked in real (UTC) time, so the day the clocks
change has as many intervals as it has real half hours (46 or 50). Intervals during an
incident are left out of the baseline: what a disruption adds is learned apart
(`incidents`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

INTERVAL = timedelta(minutes=30)
SLOTS_PER_WEEK = 7 * 48

Window = tuple[datetime, datetime]
Baseline = dict[int, float]  # half hour of the week (0: Monday 00:00 local) -> mean contacts


def interval_start(moment: datetime, tz: ZoneInfo) -> datetime:
    """The start (UTC) of the local half hour `moment` falls in."""
    local = moment.astimezone(tz)
    floored = local.replace(minute=local.minute - local.minute % 30, second=0, microsecond=0)
    return floored.astimezone(UTC)


def slot_of_week(moment: datetime, tz: ZoneInfo) -> int:
    local = moment.astimezone(tz)
    return local.weekday() * 48 + local.hour * 2 + local.minute // 30


def intervals(start: datetime, end: datetime) -> Iterator[datetime]:
    """Interval starts from `start` (a half-hour boundary) while before `end`."""
    moment = start
    while moment < end:
        yield moment
        moment += INTERVAL


def overlaps(start: datetime, windows: Sequence[Window]) -> bool:
    return any(s < start + INTERVAL and e > start for s, e in windows)


def per_interval(times: Iterable[datetime], tz: ZoneInfo) -> Counter[datetime]:
    """How many of `times` fall in each interval (keyed by its UTC start)."""
    return Counter(interval_start(t, tz) for t in times)


def learn(
    counts: Counter[datetime],
    *,
    start: datetime,
    end: datetime,
    tz: ZoneInfo,
    disrupted: Sequence[Window] = (),
) -> Baseline:
    """The mean count per half hour of the week over the intervals of [start, end) (start
    a half-hour boundary) outside the `disrupted` windows; a half hour never seen is 0."""
    seen: Counter[int] = Counter()
    total: Counter[int] = Counter()
    for moment in intervals(start, end):
        if overlaps(moment, disrupted):
            continue
        slot = slot_of_week(moment, tz)
        seen[slot] += 1
        total[slot] += counts.get(moment, 0)
    return {slot: total[slot] / seen[slot] for slot in seen}


def expected(baseline: Baseline, moment: datetime, tz: ZoneInfo) -> float:
    return baseline.get(slot_of_week(moment, tz), 0.0)
