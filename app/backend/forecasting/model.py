"""The forecast of one queue, put together: today's intervals from local midnight (with
what came beside what the forecast says) and the next 24 hours, each with the agents
planned and the agents Erlang C needs for the expected callbacks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.backend import slots
from app.backend.forecasting import baseline, erlang_c
from app.backend.forecasting.incidents import DEFAULT_RATES, Rates, Span, effect, learn_rates
from app.schemas.forecast import Contacts, ForecastInterval

STREAMS = ("callbacks", "cases", "email")
AHEAD = 48  # intervals after the current one: 24 hours


@dataclass(frozen=True)
class QueuePlan:
    """What the forecast needs of a queue: where its clock is, when it is open, who is
    on duty, how long a call takes, and the service target."""

    time_zone: str
    hours: slots.OpeningHours
    staffing: Sequence[slots.StaffingInterval]
    handle_minutes: float
    target_share: float
    target_minutes: float


@dataclass(frozen=True)
class Outcome:
    intervals: list[ForecastInterval]
    rates: Mapping[str, Rates]  # stream -> incident rates
    history_weeks: float


def today_start(time_zone: str, at: datetime) -> datetime:
    """Local midnight of `at`'s day in `time_zone`, in UTC."""
    tz = slots.zone(time_zone)
    return slots.local_to_utc(at.astimezone(tz).date(), "00:00", tz)


def history_start(plan: QueuePlan, at: datetime, weeks: float, first: datetime | None) -> datetime:
    """The start of the history to learn from: `weeks` before today, or the local day
    of the first contact when the hub is younger than that (today: no history)."""
    tz = slots.zone(plan.time_zone)
    today = today_start(plan.time_zone, at)
    if first is None or first >= today:
        return today
    since = slots.local_to_utc(first.astimezone(tz).date(), "00:00", tz)
    return max(since, today - timedelta(weeks=weeks))


def forecast(
    plan: QueuePlan,
    contacts: Mapping[str, Sequence[datetime]],
    spans: Sequence[Span],
    *,
    at: datetime,
    weeks: float,
    defaults: Mapping[str, float] = DEFAULT_RATES,
) -> Outcome:
    """The forecast at `at` from `contacts` (stream -> times, history and today) and the
    incidents of the history and today (`spans`)."""
    tz = slots.zone(plan.time_zone)
    today = today_start(plan.time_zone, at)
    times = [t for stream in STREAMS for t in contacts.get(stream, ())]
    start = history_start(plan, at, weeks, min(times, default=None))
    disrupted = [(s.start, s.end or at) for s in spans]
    expected: dict[str, dict[datetime, float]] = {}
    counted = {}
    rates = {}
    current = baseline.interval_start(at, tz)
    moments = list(baseline.intervals(today, current + baseline.INTERVAL * (AHEAD + 1)))
    for stream in STREAMS:
        counts = baseline.per_interval(contacts.get(stream, ()), tz)
        learned = baseline.learn(counts, start=start, end=today, tz=tz, disrupted=disrupted)
        rates[stream] = learn_rates(
            spans, counts, learned, start=start, end=today, tz=tz, defaults=defaults
        )
        expected[stream] = {
            m: baseline.expected(learned, m, tz) + effect(spans, rates[stream], m) for m in moments
        }
        counted[stream] = counts
    found = []
    for moment in moments:
        end = moment + baseline.INTERVAL
        guess = Contacts(**{s: round(expected[s][moment], 2) for s in STREAMS})
        came = Contacts(**{s: counted[s].get(moment, 0) for s in STREAMS})
        is_open = slots.is_open(plan.hours, plan.time_zone, moment)
        planned = slots.agents_throughout(plan.staffing, moment, end)
        needed = _needed(plan, expected["callbacks"][moment]) if is_open else 0
        found.append(
            ForecastInterval(
                start=moment,
                end=end,
                expected=guess,
                actual=came if moment <= at else None,
                open=is_open,
                planned_agents=planned,
                needed_agents=needed,
                gap=needed - planned,
            )
        )
    return Outcome(found, rates, history_weeks=round((today - start) / timedelta(weeks=1), 2))


def _needed(plan: QueuePlan, callbacks: float) -> int:
    return erlang_c.agents_needed(
        callbacks,
        period=baseline.INTERVAL.total_seconds() / 60,
        handle=plan.handle_minutes,
        share=plan.target_share,
        target=plan.target_minutes,
    )
