"""Erlang C (M/M/N with an unlimited queue): the probability that a contact waits, the
share answered within a target time, and the fewest agents that meet a target.

The probability of waiting is worked out through the Erlang B recursion
(B(0) = 1, B(n) = A B(n-1) / (n + A B(n-1)); C = N B / (N - A (1 - B))), which gives the
textbook formula's value without the factorials that overflow at a few hundred agents."""

from __future__ import annotations

import math

MAX_AGENTS = 10_000


def wait_probability(agents: int, erlangs: float) -> float:
    """The share of contacts that wait at all; 1.0 when the agents cannot keep up
    (`agents <= erlangs`: the queue grows without end)."""
    if erlangs <= 0:
        return 0.0
    if agents <= erlangs:
        return 1.0
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = erlangs * blocking / (n + erlangs * blocking)
    return agents * blocking / (agents - erlangs * (1 - blocking))


def service_level(agents: int, erlangs: float, *, handle: float, target: float) -> float:
    """The share of contacts answered within `target` (same unit as `handle`, the
    average handle time): 1 - C e^(-(N - A) t / h)."""
    if erlangs <= 0:
        return 1.0
    if agents <= erlangs:
        return 0.0
    waits = wait_probability(agents, erlangs)
    return 1 - waits * math.exp(-(agents - erlangs) * target / handle)


def traffic(contacts: float, *, period: float, handle: float) -> float:
    """The load in erlangs of `contacts` arriving in `period`, each taking `handle` (both
    in the same unit)."""
    return contacts * handle / period


def agents_needed(
    contacts: float, *, period: float, handle: float, share: float, target: float
) -> int:
    """The fewest agents answering `share` (0..1) of the `contacts` arriving in `period`
    within `target`; 0 when none are expected."""
    erlangs = traffic(contacts, period=period, handle=handle)
    if erlangs <= 0:
        return 0
    agents = max(1, math.floor(erlangs) + 1)
    while service_level(agents, erlangs, handle=handle, target=target) < share:
        agents += 1
        if agents > MAX_AGENTS:
            raise ValueError(f"more than {MAX_AGENTS} agents for {erlangs:.1f} erlangs")
    return agents
