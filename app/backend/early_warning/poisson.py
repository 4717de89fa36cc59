"""The Poisson upper tail P(X >= k) for mean `mean`, in log space: exact for the small
counts of a bin and no underflow for the tiny p-values of a real burst."""

from __future__ import annotations

import math


def log_pmf(k: int, mean: float) -> float:
    return k * math.log(mean) - mean - math.lgamma(k + 1)


def log_upper_tail(k: int, mean: float) -> float:
    """log P(X >= k). Summed from the term at k upwards (terms fall once past the mean)
    with log-sum-exp, until a term no longer changes the sum."""
    if mean <= 0:
        raise ValueError("the mean must be positive")
    if k <= 0:
        return 0.0
    if k <= mean:
        # Below the mean the tail is most of the mass: 1 - P(X <= k-1), summed directly.
        below = sum(math.exp(log_pmf(i, mean)) for i in range(k))
        return math.log1p(-min(below, 1.0)) if below < 1.0 else -math.inf
    first = log_pmf(k, mean)
    total = 1.0  # the sum relative to the first term
    term = 1.0
    i = k
    while True:
        i += 1
        term *= mean / i
        total += term
        if term < total * 1e-17:
            return first + math.log(total)


def upper_tail(k: int, mean: float) -> float:
    return math.exp(log_upper_tail(k, mean))
