"""When to sync: at start, after each local write (debounced), when the hub announces an
event, when the network comes back, and periodically; with backoff after failures.

`SyncStatus` is what the UI shows (online, last synced, pending and failed changes); the
state layer subscribes to it through `listeners`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from app.api import HubError, Offline
from app.background import BackgroundTask
from app.listeners import Listeners
from app.store import StorageError
from app.sync.backoff import Backoff
from app.sync.engine import SyncEngine
from app.sync.report import SyncReport

log = logging.getLogger("careline.sync")
# After a write the disk refused, look for room again this often (a local check, cheap).
STORAGE_RETRY = 30.0


@dataclass(frozen=True)
class SyncStatus:
    online: bool | None = None  # None until the first attempt
    syncing: bool = False
    last_synced: str | None = None
    pending: int = 0
    failed: int = 0
    needs_sign_in: bool = False
    last_error: str | None = None
    # Counts the syncs that brought new public content: screens showing it reload then.
    content_changes: int = 0


class SyncScheduler:
    def __init__(
        self,
        engine: SyncEngine,
        *,
        interval: float = 60.0,
        debounce: float = 0.3,
        backoff: Backoff | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.engine = engine
        self.interval = interval
        self.debounce = debounce
        self.backoff = backoff or Backoff()
        self._sleep = sleep
        self.status = SyncStatus()
        # Told of every new status; one that fails (a window that went away) must not
        # stop syncing.
        self.listeners: Listeners[SyncStatus] = Listeners(log, "sync status")
        self._wake = asyncio.Event()
        self._task = BackgroundTask(self._run, "careline-sync")
        self._retry_after: float | None = None
        self._storage_fault = False
        self.last_report: SyncReport | None = None

    def _set(self, **changes: object) -> None:
        self.status = replace(self.status, **changes)  # type: ignore[arg-type]
        self.listeners.tell(self.status)

    def start(self) -> None:
        if self._task.start():
            self.poke(0)

    async def stop(self) -> None:
        await self._task.stop()

    def poke(self, delay: float | None = None) -> None:
        """Sync soon: after a local write, a hub event or a 'sync now' tap."""
        wait = self.debounce if delay is None else delay
        asyncio.get_running_loop().call_later(wait, self._wake.set)

    async def sync_now(self) -> SyncReport | None:
        """Sync at once and return what happened (None when offline)."""
        return await self._attempt()

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)
            self._wake.clear()
            # Retry until it works, waiting as the backoff (and the hub's Retry-After) say;
            # writes made meanwhile ride along with the retry.
            while await self._attempt() is None:
                delay = self.backoff.next_delay(self._retry_after)
                if self._storage_fault:
                    delay = min(delay, STORAGE_RETRY)
                log.info("sync failed; next try in %.1f s", delay)
                await self._sleep(delay)

    async def _attempt(self) -> SyncReport | None:
        self._set(syncing=True)
        self._storage_fault = False
        try:
            report = await self.engine.sync()
        except StorageError as error:
            # The disk is full or read-only: the store's health shows it; try again later.
            log.warning("sync could not store what it fetched: %s", error)
            self._storage_fault = True
            self._retry_after = None
            await self._refresh_counts(last_error=f"storage_{error.problem.value}")
            return None
        except HubError as error:
            self._retry_after = error.retry_after
            await self._refresh_counts(online=not isinstance(error, Offline), last_error=str(error))
            return None
        except Exception as error:  # a bug must not end syncing for good: log, back off
            log.exception("sync failed unexpectedly")
            self._retry_after = None
            await self._refresh_counts(last_error=f"{error.__class__.__name__}: {error}")
            return None
        finally:
            self._set(syncing=False)
        self.backoff.reset()
        self._retry_after = None
        self.last_report = report
        changes = self.status.content_changes + (1 if report.content_changed else 0)
        await self._refresh_counts(online=True, last_error=None, content_changes=changes)
        return report

    async def _refresh_counts(self, **changes: object) -> None:
        held = await asyncio.to_thread(self.engine.held)
        self._set(
            pending=held.pending,
            failed=held.failed,
            last_synced=held.last_synced,
            needs_sign_in=held.needs_sign_in,
            **changes,
        )
