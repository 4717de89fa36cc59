"""One coroutine running in the background for as long as its owner runs: started once,
and on stop cancelled and awaited, so nothing of it outlives the owner."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from typing import Any


class BackgroundTask:
    def __init__(self, run: Callable[[], Coroutine[Any, Any, None]], name: str) -> None:
        self._run = run
        self.name = name
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(self) -> bool:
        """Start it on the running loop unless it runs already; True if it started now."""
        if self._task is not None:
            return False
        self._task = asyncio.get_running_loop().create_task(self._run(), name=self.name)
        return True

    def cancel(self) -> None:
        """Cancel it without waiting for it to end (it may be started again at once)."""
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def stop(self) -> None:
        """Cancel it and wait until it has ended."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
