"""Exponential backoff with full jitter, honouring the hub's Retry-After."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    base: float = 1.0
    cap: float = 300.0
    attempt: int = 0
    rng: random.Random = field(default_factory=random.Random)

    def next_delay(self, retry_after: float | None = None) -> float:
        """Seconds to wait before the next try: uniform in [0, min(cap, base * 2^n)]
        (full jitter), never less than what the hub asked for."""
        ceiling = min(self.cap, self.base * 2 ** min(self.attempt, 30))
        self.attempt += 1
        delay = self.rng.uniform(0, ceiling)
        return max(delay, retry_after or 0.0)

    def reset(self) -> None:
        self.attempt = 0
