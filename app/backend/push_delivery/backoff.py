"""A push service that answers 429 or 5xx (or not at all) is given a pause before its next
push: the longer of its Retry-After and a delay doubling with each answer of the kind in a
row. The pause is the service's alone: every push to it waits, the others' go on."""

from __future__ import annotations

import asyncio
import time

LONGEST_PAUSE = 30.0  # a service asking for more is asked again after this


class HostBackoff:
    def __init__(self, *, base: float) -> None:
        self.base = base
        self._until: dict[str, float] = {}  # host: monotonic time its pause ends
        self._streak: dict[str, int] = {}  # host: answers asking for a pause in a row

    def paused(self, host: str) -> float:
        """Seconds left of the host's pause (0 when none)."""
        return max(0.0, self._until.get(host, 0.0) - time.monotonic())

    async def ready(self, host: str) -> None:
        """Wait until the host's pause ends (a pause made longer meanwhile included)."""
        left = self.paused(host)
        while left > 0:
            await asyncio.sleep(left)
            left = self.paused(host)

    def slow(self, host: str, retry_after: float | None) -> None:
        """The host asked to slow down: pause it (never shortening a pause it has). The
        answers to pushes sent before the pause began count as one."""
        streak = self._streak.get(host, 0)
        if self.paused(host) == 0:
            self._streak[host] = streak + 1
        else:
            streak = max(0, streak - 1)
        pause = min(max(self.base * 2**streak, retry_after or 0.0), LONGEST_PAUSE)
        until = time.monotonic() + pause
        self._until[host] = max(until, self._until.get(host, 0.0))

    def answered(self, host: str) -> None:
        self._streak.pop(host, None)
        if self.paused(host) == 0:
            self._until.pop(host, None)
