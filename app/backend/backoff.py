"""One rule for waiting before trying again after a failure (the channel outbox to a
helpdesk, the outgoing mail): doubling from a first wait up to a longest one, jittered so
that items failed together do not come back together, never sooner than the other side
asked (Retry-After)."""

from __future__ import annotations

import random


def backoff_seconds(
    failures: int, *, first: float, longest: float, retry_after: float | None = None
) -> float:
    """Seconds to wait after `failures` failures in a row (1 after the first): `first`,
    doubling per failure up to `longest`, jittered to between half and all of it; at least
    `retry_after` when the other side gave one."""
    ceiling = min(longest, first * 2 ** min(max(0, failures - 1), 40))
    return max(random.uniform(ceiling / 2, ceiling), retry_after or 0.0)
