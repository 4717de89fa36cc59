"""Early warning's pure parts: which posts name a watched key, the Poisson tail against
known values, and burst detection on synthetic series with known answers."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal, getcontext

import pytest

from app.backend.early_warning.bursts import Params, find_bursts
from app.backend.early_warning.matching import Matcher
from app.backend.early_warning.poisson import log_upper_tail, upper_tail

KEYS = {"ORD": ["O'Hare", "Chicago"], "NW 412": [], "DEN": ["Denver"], "baggage": ["lost bag"]}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Stuck at ORD again", ["ORD"]),
        ("stuck at ord, 3h delay", ["ORD"]),
        ("O'Hare is a mess", ["ORD"]),
        ("O\u2019Hare\u2019s gates are full", ["ORD"]),  # curly apostrophes
        ("#OHare #chicago snow", ["ORD"]),
        ("#ORD", ["ORD"]),
        ("CHICAGO!!!", ["ORD"]),
        ("flight NW 412 cancelled", ["NW 412"]),
        ("flight nw412 cancelled #NW412", ["NW 412"]),
        ("Denver and O'Hare both down", ["DEN", "ORD"]),
        ("my lost  bag never came", ["baggage"]),
        # Substrings never count.
        ("I placed an ORDER", []),
        ("ordinary day, Chicagoland suburbs", []),
        ("DENmark is nice, a golden denizen", []),
        ("NW 4120 landed, NW 41 too", []),
        ("#ORDER and #Denverite", []),
        ("records_ORD_x", []),
        ("baggages handled", []),
    ],
)
def test_a_post_counts_for_the_keys_it_names(text: str, found: list[str]) -> None:
    assert Matcher(KEYS).keys_in(text) == found


def test_names_in_other_scripts_are_words_too() -> None:
    matcher = Matcher({"MUC": ["München"], "NRT": ["成田"]})
    assert matcher.keys_in("Chaos in MÜNCHEN heute") == ["MUC"]
    assert matcher.keys_in("Münchener Freiheit") == []
    assert matcher.keys_in("空港 成田 です") == ["NRT"]


def _exact_tail(k: int, mean: int) -> float:
    """1 - P(X < k) with 100 digits: an independent way, free of cancellation."""
    getcontext().prec = 100
    m = Decimal(mean)
    below = sum((Decimal(-m).exp() * m**i / math.factorial(i) for i in range(k)), start=Decimal(0))
    return float(1 - below)


@pytest.mark.parametrize(
    ("k", "mean", "expected"),
    [
        (1, 1.0, 1 - math.exp(-1)),
        (0, 3.0, 1.0),
        # R: ppois(9, 2, lower.tail = FALSE) and ppois(4, 0.5, lower.tail = FALSE)
        (10, 2.0, 4.649808e-05),
        (5, 0.5, 1.721156e-04),
    ],
)
def test_poisson_tail_against_published_values(k: int, mean: float, expected: float) -> None:
    assert upper_tail(k, mean) == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize(("k", "mean"), [(3, 5), (12, 2), (40, 3), (100, 10), (7, 7)])
def test_poisson_tail_against_exact_sums(k: int, mean: int) -> None:
    assert upper_tail(k, mean) == pytest.approx(_exact_tail(k, mean), rel=1e-9)


def test_poisson_tail_far_out_does_not_underflow() -> None:
    # P(X >= 1000 | 1) is about 1e-2568: far below a float, finite in logs. The tail is
    # its first term times 1 + 1/1001 + 1/(1001 * 1002) + ...
    expected = -1 - math.lgamma(1001) + math.log(1 + 1 / 1001 + 1 / (1001 * 1002))
    assert log_upper_tail(1000, 1.0) == pytest.approx(expected, rel=1e-12)
    with pytest.raises(ValueError, match="positive"):
        upper_tail(1, 0.0)


START = datetime(2015, 2, 16, tzinfo=UTC)
BIN = timedelta(minutes=10)
DAY = timedelta(days=1)


def _series(rates: list[float], seed: int) -> list[datetime]:
    """Posts with Poisson counts per 10-minute bin at these rates, spread in each bin."""
    rng = random.Random(seed)
    times = []
    for i, rate in enumerate(rates):
        count, total = 0, rng.expovariate(1)
        while total < rate:  # Poisson by exponential gaps
            count += 1
            total += rng.expovariate(1)
        times += [START + BIN * i + timedelta(seconds=rng.uniform(0, 599)) for _ in range(count)]
    return sorted(times)


def _bursts(times: dict[str, list[datetime]]) -> list[tuple[str, datetime]]:
    end = START + BIN * 6 * 24 * 3
    return [(b.key, b.started_at) for b in find_bursts(times, START, end, Params())]


DAYS = 6 * 24 * 3  # three days of bins


def test_a_steady_key_gives_no_warning() -> None:
    for seed in range(5):
        assert _bursts({"ORD": _series([3.0] * DAYS, seed)}) == []


def test_a_slow_rise_gives_no_warning() -> None:
    """Tenfold over two days: the rolling median follows it (a trend, not a burst)."""
    rise = [1 + 9 * i / (DAYS * 2 / 3) for i in range(DAYS * 2 // 3)]
    for seed in range(5):
        assert _bursts({"ORD": _series(rise + [10.0] * (DAYS // 3), seed)}) == []


def test_a_sharp_burst_is_found_at_its_first_bin_once() -> None:
    rates = [2.0] * DAYS
    rates[200:212] = [25.0] * 12  # two hours of a storm
    found = find_bursts({"ORD": _series(rates, 7)}, START, START + BIN * DAYS, Params())
    assert [(b.key, b.started_at, b.detected_at) for b in found] == [
        ("ORD", START + BIN * 200, START + BIN * 201)
    ]
    assert found[0].count >= 10 and found[0].baseline == pytest.approx(2, abs=1)
    assert found[0].p_value < 1e-6


def test_a_burst_in_a_quiet_key_beside_a_busy_one() -> None:
    quiet = [0.05] * DAYS
    quiet[300:303] = [8.0] * 3
    busy = [30.0] * DAYS
    found = _bursts({"BOS": _series(quiet, 3), "ORD": _series(busy, 4)})
    assert found == [("BOS", START + BIN * 300)]


def test_the_same_posts_give_the_same_bursts_in_any_order() -> None:
    rates = [2.0] * DAYS
    rates[100:104] = [20.0] * 4
    times = _series(rates, 11)
    shuffled = times[:]
    random.Random(1).shuffle(shuffled)
    assert _bursts({"ORD": times}) == _bursts({"ORD": shuffled}) == [("ORD", START + BIN * 100)]


def _daily(days: int, night: float, day: float) -> list[float]:
    """Quiet nights and busy days: `night` posts a bin from 22:00 to 06:00, `day` from
    08:00 to 20:00, rising and falling over two hours in between."""
    rates = []
    for i in range(days * 144):
        hour = (i % 144) / 6
        if 6 <= hour < 8:
            share = (hour - 6) / 2
        elif 8 <= hour < 20:
            share = 1.0
        elif 20 <= hour < 22:
            share = (22 - hour) / 2
        else:
            share = 0.0
        rates.append(night + (day - night) * share)
    return rates


def test_a_daily_rhythm_gives_no_warning_once_a_day_is_known() -> None:
    """A morning that rises from 0.3 to 12 posts a bin: the recent median (the night)
    alone calls it a burst every morning; the same time on previous days does not."""
    week = 7
    end = START + BIN * 144 * week
    flat = Params(baseline_days=0)
    # Seed 2 is left out: it draws 32 posts in one bin at a rate of 12 (p = 2e-7), which
    # is rightly a warning.
    for seed in (0, 1, 3, 4):
        times = {"ORD": _series(_daily(week, 0.3, 12.0), seed)}
        after_day_one = [
            b for b in find_bursts(times, START, end, Params()) if b.started_at >= START + DAY
        ]
        assert after_day_one == []
        assert len(find_bursts(times, START, end, flat)) >= week - 1  # the old flat baseline


def test_a_storm_inside_the_daily_rhythm_is_found() -> None:
    rates = _daily(5, 0.3, 6.0)
    storm = 144 * 4 + 6 * 14  # day five, 14:00
    rates[storm : storm + 12] = [30.0] * 12
    found = find_bursts({"ORD": _series(rates, 5)}, START, START + BIN * len(rates), Params())
    after_day_one = [(b.key, b.started_at) for b in found if b.started_at >= START + DAY]
    assert after_day_one == [("ORD", START + BIN * storm)]


def test_one_stormy_day_does_not_raise_the_next_days_baseline() -> None:
    """The median over the previous days ignores a storm at the same hour yesterday."""
    rates = [2.0] * (144 * 5)
    yesterday, today = 144 * 3 + 60, 144 * 4 + 60
    rates[yesterday : yesterday + 12] = [25.0] * 12
    rates[today : today + 12] = [25.0] * 12
    found = find_bursts({"ORD": _series(rates, 9)}, START, START + BIN * len(rates), Params())
    assert [b.started_at for b in found] == [START + BIN * yesterday, START + BIN * today]


def test_replaying_the_same_posts_twice_gives_the_same_warnings() -> None:
    rates = _daily(4, 0.5, 8.0)
    rates[144 * 3 + 80 : 144 * 3 + 86] = [50.0] * 6
    times = {"ORD": _series(rates, 2), "DEN": _series(_daily(4, 0.2, 3.0), 3)}
    end = START + BIN * len(rates)
    first, second = (
        find_bursts(times, START, end, Params()),
        find_bursts(times, START, end, Params()),
    )
    assert first == second
    after_day_one = [(b.key, b.started_at) for b in first if b.started_at >= START + DAY]
    assert after_day_one == [("ORD", START + BIN * (144 * 3 + 80))]


@pytest.mark.parametrize(
    "wrong",
    [
        {"bin_minutes": 7},
        {"alpha": 0.0},
        {"alpha": 1.5},
        {"min_count": 0},
        {"baseline_days": -1},
        {"window_bins": 0},
    ],
)
def test_parameters_that_cannot_work_are_refused(wrong: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must"):
        Params(**wrong)  # type: ignore[arg-type]
