"""Bursts of posts per watched key, in event time (the posts' own `created_at`): the same
posts give the same bursts whether they arrive live or replayed from an archive.

Each key's posts are counted per fixed bin (`bin_minutes`, 10). A bin is anomalous when
its count is at least `min_count` and the Poisson upper tail P(X >= count) under the
key's baseline is below `alpha`. The baseline is the larger of two medians, so a count
must be improbable against both:

- the recent level: the median count of the key's previous bins (`history_bins`, six
  hours), robust to the burst itself for half that time and to single noisy bins;
- the time of day: for each of the previous `baseline_days` days, the mean count of the
  bins around the same time (`day_window_bins` either side), and the median of those
  days. A daily rhythm (quiet nights, busy mornings) then raises the baseline when the
  morning comes instead of warning every morning; one stormy day among them does not
  move the median.

It is floored at `floor` posts a bin and at half the recent mean, so a key that is
usually quiet (median 0) still has a rate to be tested against. Bins before
`warmup_bins` of history are never tested; before a day of history, only the recent
level counts.

A slow rise is not a burst: the median trails it by half its window, and a rise that
gentle stays within the tail. A burst is a run of anomalous bins, gaps of up to
`gap_bins` quiet bins included; it starts at its first anomalous bin, and is detected at
that bin's end.

A sparse series (a key's posts that report a disruption, a bin or two an hour) is tested
on the sum of its last `window_bins` bins against that many bins of the baseline read
before them, each bin that adds a post: a report an hour is then not one bin of one post
after another, while a single bin (`window_bins` 1) is the test above. Such a burst
starts at the first bin of its window that has a post.

Every burst says which `series` of its key it is: `TOTAL` (every post naming the key) or
`DISRUPTION` (those that also report a disruption, `disruption.py`). `one_per_event`
keeps one warning per key for bursts starting within `same` of each other: the one
detected first, whichever series saw it."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.backend.early_warning.poisson import upper_tail


@dataclass(frozen=True)
class Params:
    bin_minutes: int = 10
    history_bins: int = 36
    warmup_bins: int = 12
    floor: float = 0.5
    alpha: float = 1e-6
    min_count: int = 5
    gap_bins: int = 3
    baseline_days: int = 7
    day_window_bins: int = 1
    window_bins: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.bin_minutes <= 1440 or 1440 % self.bin_minutes:
            raise ValueError("bin_minutes must divide a day (1 to 1440)")
        if not 0 < self.alpha < 1:
            raise ValueError("alpha must be between 0 and 1")
        if self.min_count < 1 or self.baseline_days < 0:
            raise ValueError("min_count must be at least 1, baseline_days at least 0")
        if self.window_bins < 1:
            raise ValueError("window_bins must be at least 1")

    @property
    def bin(self) -> timedelta:
        return timedelta(minutes=self.bin_minutes)

    @property
    def bins_a_day(self) -> int:
        return 1440 // self.bin_minutes

    @property
    def lookback(self) -> timedelta:
        """How far back of a bin its baseline reads."""
        recent = self.history_bins + self.warmup_bins + self.window_bins
        daily = self.baseline_days * self.bins_a_day + self.day_window_bins + self.window_bins
        return self.bin * max(recent, daily)


DEFAULT_PARAMS = Params()
TOTAL = "total"
DISRUPTION = "disruption"


@dataclass(frozen=True)
class Burst:
    key: str
    started_at: datetime
    detected_at: datetime
    count: int
    baseline: float
    p_value: float
    series: str = TOTAL


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def bin_start(moment: datetime, params: Params) -> datetime:
    """The start of the bin `moment` falls in (bins are aligned to the Unix epoch)."""
    width = params.bin.total_seconds()
    return EPOCH + timedelta(seconds=(moment - EPOCH).total_seconds() // width * width)


def bin_counts(times: Iterable[datetime], origin: datetime, bins: int, params: Params) -> list[int]:
    """Posts per bin from `origin` (a bin start), for `bins` bins; later ones are left out."""
    counts = [0] * bins
    width = params.bin.total_seconds()
    for moment in times:
        index = int((moment - origin).total_seconds() // width)
        if 0 <= index < bins:
            counts[index] += 1
    return counts


def time_of_day_level(counts: list[int], i: int, params: Params) -> float | None:
    """The median, over the previous `baseline_days` days that are in `counts`, of each
    day's mean count around bin `i`'s time of day; None before a whole day of history."""
    day, half = params.bins_a_day, params.day_window_bins
    means = []
    for back in range(1, params.baseline_days + 1):
        centre = i - back * day
        if centre - half < 0:
            break
        window = counts[centre - half : centre + half + 1]
        means.append(sum(window) / len(window))
    return float(statistics.median(means)) if means else None


def baseline(counts: list[int], i: int, params: Params) -> float:
    """The rate bin `i` is tested against (see the module's docstring)."""
    history = counts[max(0, i - params.history_bins) : i]
    if not history:
        return params.floor
    mean = sum(history) / len(history)
    level = max(float(statistics.median(history)), mean / 2, params.floor)
    daily = time_of_day_level(counts, i, params)
    return level if daily is None else max(level, daily)


def key_bursts(
    key: str, counts: list[int], origin: datetime, params: Params, series: str = TOTAL
) -> list[Burst]:
    """The bursts in one key's counts per bin, the first bin starting at `origin`."""
    found: list[Burst] = []
    width = params.window_bins
    quiet_since_last = params.gap_bins + 1  # bins since the last anomalous one
    for i in range(params.warmup_bins + width - 1, len(counts)):
        first = i - width + 1
        count = sum(counts[first : i + 1])
        anomalous = False
        if count >= params.min_count and counts[i] > 0:
            rate = baseline(counts, first, params) * width
            p_value = upper_tail(count, rate)
            anomalous = p_value < params.alpha
        if not anomalous:
            quiet_since_last += 1
            continue
        if quiet_since_last > params.gap_bins:
            lead = next(j for j in range(first, i + 1) if counts[j])
            start, end = origin + params.bin * lead, origin + params.bin * (i + 1)
            found.append(Burst(key, start, end, count, round(rate, 3), p_value, series))
        quiet_since_last = 0
    return found


def find_bursts(
    times_by_key: Mapping[str, Iterable[datetime]],
    origin: datetime,
    end: datetime,
    params: Params = DEFAULT_PARAMS,
    series: str = TOTAL,
) -> list[Burst]:
    """Bursts of every key between `origin` (the first post's time: every key's history
    starts there, a quiet key's with zeros) and `end`, ordered by start then key."""
    first = bin_start(origin, params)
    bins = int((end - first) / params.bin) + 1
    bursts = [
        burst
        for key in sorted(times_by_key)
        for burst in key_bursts(
            key, bin_counts(times_by_key[key], first, bins, params), first, params, series
        )
    ]
    return sorted(bursts, key=lambda b: (b.started_at, b.key))


def one_per_event(bursts: Iterable[Burst], same: timedelta) -> list[Burst]:
    """The bursts in the order they were detected (then key, series), without those of a
    key starting less than `same` from one kept: one warning per event however many
    series see it, the one seen first, as watching live would open it."""
    kept: list[Burst] = []
    starts: dict[str, list[datetime]] = {}
    for burst in sorted(bursts, key=lambda b: (b.detected_at, b.key, b.series)):
        near = starts.setdefault(burst.key, [])
        if any(abs(burst.started_at - start) < same for start in near):
            continue
        kept.append(burst)
        near.append(burst.started_at)
    return sorted(kept, key=lambda b: (b.started_at, b.key))
