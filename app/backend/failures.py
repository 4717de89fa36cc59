"""What the hub logs while some work keeps failing (a background loop such as the event
fan-out or the push dispatcher; requests while the database is away): a traceback at the
first failure of a streak, not one per retry or request, and a line with the count when
it works again."""

from __future__ import annotations

import logging
import threading


class FailureStreak:
    def __init__(self, log: logging.Logger, *, failing: str, recovered: str) -> None:
        """`recovered` takes the number of failures (`%d`)."""
        self.log = log
        self.failing = failing
        self.recovered = recovered
        self.count = 0
        # Requests fail on the event loop and succeed in worker threads.
        self._lock = threading.Lock()

    def failed(self) -> int:
        """Call from an `except` block; returns how many failures in a row so far."""
        with self._lock:
            self.count += 1
            count = self.count
        if count == 1:
            self.log.exception(self.failing)
        return count

    def succeeded(self) -> None:
        with self._lock:
            count, self.count = self.count, 0
        if count:
            self.log.warning(self.recovered, count)
