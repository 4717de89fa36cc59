"""What a background loop of the hub (the event fan-out, the push dispatcher) logs while
its work keeps failing: a traceback at the first failure of a streak, not one per retry,
and a line when it works again."""

from __future__ import annotations

import logging


class FailureStreak:
    def __init__(self, log: logging.Logger, *, failing: str, recovered: str) -> None:
        """`recovered` takes the number of failures (`%d`)."""
        self.log = log
        self.failing = failing
        self.recovered = recovered
        self.count = 0

    def failed(self) -> int:
        """Call from an `except` block; returns how many failures in a row so far."""
        self.count += 1
        if self.count == 1:
            self.log.exception(self.failing)
        return self.count

    def succeeded(self) -> None:
        if self.count:
            self.log.warning(self.recovered, self.count)
        self.count = 0
