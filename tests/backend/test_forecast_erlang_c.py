"""Erlang C against published worked examples.

1. Call Centre Helper, "Erlang C Formula - Made Simple With an Easy Worked Example"
   (https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm): 100 calls in
   30 minutes, 180 s average handle time (10 erlangs), target 80% answered in 20 s. With
   11 agents the probability of waiting is 68.21% and the service level 39.0%; 14 agents
   are the fewest that reach the target (88.9%; 13 give 79.6%).
2. The Erlang C calculator of personal.telefonica.terra.es/web/vr/erlang/eng/mcerlc.htm:
   600 calls an hour of 120 s are 20 erlangs; for at most 15% of calls delayed 26 agents
   are needed, and with 30 the delay probability is 2.5%."""

from __future__ import annotations

import math

import pytest

from app.backend.forecasting.erlang_c import (
    agents_needed,
    service_level,
    traffic,
    wait_probability,
)


def test_call_centre_helper_worked_example() -> None:
    erlangs = traffic(100, period=30 * 60, handle=180)
    assert erlangs == pytest.approx(10)
    assert wait_probability(11, erlangs) == pytest.approx(0.6821, abs=1e-4)
    assert service_level(11, erlangs, handle=180, target=20) == pytest.approx(0.390, abs=1e-3)
    assert service_level(13, erlangs, handle=180, target=20) == pytest.approx(0.796, abs=1e-3)
    assert service_level(14, erlangs, handle=180, target=20) == pytest.approx(0.889, abs=1e-3)
    assert agents_needed(100, period=30 * 60, handle=180, share=0.8, target=20) == 14


def test_telefonica_calculator_example() -> None:
    erlangs = traffic(600, period=3600, handle=120)
    assert erlangs == pytest.approx(20)
    fewest = next(n for n in range(21, 60) if wait_probability(n, erlangs) <= 0.15)
    assert fewest == 26
    assert wait_probability(30, erlangs) == pytest.approx(0.025, abs=5e-4)


def test_the_recursion_matches_the_textbook_formula() -> None:
    """The factorial form, for loads small enough to compute it directly."""
    for agents, erlangs in ((3, 2.0), (12, 10.0), (40, 35.5)):
        top = erlangs**agents / math.factorial(agents) * agents / (agents - erlangs)
        below = sum(erlangs**k / math.factorial(k) for k in range(agents)) + top
        assert wait_probability(agents, erlangs) == pytest.approx(top / below, rel=1e-9)


def test_edges() -> None:
    assert wait_probability(5, 0) == 0
    assert wait_probability(5, 5) == 1, "as many agents as erlangs never catch up"
    assert service_level(4, 6.0, handle=10, target=20) == 0
    assert agents_needed(0, period=30, handle=10, share=0.8, target=20) == 0
    # A large centre stays finite: no factorial overflow.
    assert 500 < agents_needed(30_000, period=30, handle=0.5, share=0.8, target=0.1) < 560
