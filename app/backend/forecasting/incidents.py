"""What an incident adds to the contacts: a rate per impact, in contacts per hour for
each subscribed customer the incident touches, learned from past incidents' contacts
above the baseline, or a default where there is no such history.

A past incident's exposure is its touched customers times the hours it lasted (within
the history looked at); its excess is what came in during those hours over the
baseline. The rate of an impact is the sum of excesses over the sum of exposures (never
below zero). The touched customers are counted from today's subscriptions, for past
incidents too: the hub does not keep what customers followed back then."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from app.backend.forecasting.baseline import INTERVAL, Baseline, expected, interval_start, intervals

HOURS_PER_INTERVAL = INTERVAL.total_seconds() / 3600

# Contacts per hour per touched customer, per impact, until the hub has history of its own:
# a critical disruption brings about one contact an hour for every 30 customers following
# it, a major one for every 100, a minor one for every 500.
DEFAULT_RATES: Mapping[str, float] = {
    "none": 0.0,
    "minor": 0.002,
    "major": 0.01,
    "critical": 0.03,
}


@dataclass(frozen=True)
class Span:
    """An incident as the forecast sees it: when it ran (`end` None: still on), its
    impact and the subscribed customers it touches."""

    impact: str
    start: datetime
    end: datetime | None
    touched: int

    def active(self, moment: datetime) -> bool:
        return self.start <= moment and (self.end is None or moment < self.end)


@dataclass(frozen=True)
class Rates:
    """Per impact, contacts per hour per touched customer; `learned`: the impacts whose
    rate came from history (the others are the defaults)."""

    per_impact: Mapping[str, float]
    learned: frozenset[str]


def learn_rates(
    spans: Iterable[Span],
    counts: Counter[datetime],
    baseline: Baseline,
    *,
    start: datetime,
    end: datetime,
    tz: ZoneInfo,
    defaults: Mapping[str, float] = DEFAULT_RATES,
) -> Rates:
    """The rates learned from the incidents of [start, end) that ended by `end`."""
    excess: dict[str, float] = {}
    exposure: dict[str, float] = {}
    for span in spans:
        if span.end is None or span.end > end or span.touched <= 0:
            continue
        first = max(interval_start(span.start, tz), start)
        for moment in intervals(first, min(span.end, end)):
            above = counts.get(moment, 0) - expected(baseline, moment, tz)
            excess[span.impact] = excess.get(span.impact, 0.0) + above
            exposure[span.impact] = (
                exposure.get(span.impact, 0.0) + span.touched * HOURS_PER_INTERVAL
            )
    rates = dict(defaults)
    for impact, hours in exposure.items():
        rates[impact] = max(0.0, excess[impact] / hours)
    return Rates(per_impact=rates, learned=frozenset(exposure))


def effect(spans: Sequence[Span], rates: Rates, moment: datetime) -> float:
    """The contacts the incidents active at `moment` add to its interval."""
    return sum(
        rates.per_impact.get(s.impact, 0.0) * s.touched * HOURS_PER_INTERVAL
        for s in spans
        if s.active(moment)
    )
