"""One person's view of the app: the state objects of one window or browser tab, fed by
its device's runtime (and on a server, by the public content all visitors share)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import flet as ft

from app.notify import Notice
from app.schemas import Event
from app.schemas.wording import Wording
from app.state.account import AccountState
from app.state.alerts import AlertsState
from app.state.callbacks import CallbacksState
from app.state.cases import CasesState
from app.state.help import HelpState
from app.state.navigation import NavigationHistory
from app.state.notices import NoticesState
from app.state.runtime import DeviceRuntime
from app.state.status import StatusState
from app.state.storage import StorageState
from app.state.sync import SyncState, combined
from app.state.zone import zone_named
from app.store import StorageError, StorageProblem
from app.sync import SyncStatus

log = logging.getLogger("careline.window")
RunTask = Callable[..., Any]
GONE_AFTER = 1000  # refusals in a row before a window counts as closed


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:  # made outside a loop: `start` picks it up
        return None


class UiState(ft.Observable):
    """Layout and preferences: width (phone or desktop layout), language, theme, the time
    zone every time is shown in (None: the device's own); and what runs the window: a
    browser (`web`), the app installed from it (`installed`), a phone or tablet (`phone`:
    Android or iOS), iOS."""

    def __init__(
        self,
        width: float,
        locale: str = "en",
        theme: str = "system",
        zone: ZoneInfo | None = None,
    ) -> None:
        self.width = width
        self.locale = locale
        self.theme = theme
        self.zone = zone
        self.web = False
        self.installed = False
        self.phone = False
        self.ios = False
        # The company's words for labels that name its trade (app.schemas.wording).
        self.wording: Wording = {}

    @property
    def narrow(self) -> bool:
        return self.width < 640


class WindowState:
    """What one window or browser tab shows: its observable state objects, which the
    screens render, kept up to date from the device's runtime (syncs, live events,
    notices, storage health) on this window's own loop.

    `zone`: the customer's IANA time zone when it is not the device's (in hosted web mode,
    the browser's); a name this machine does not know is ignored, and times then show in
    the device's own zone."""

    def __init__(
        self,
        runtime: DeviceRuntime,
        *,
        width: float,
        run_task: RunTask,
        zone: str | None = None,
    ) -> None:
        self.runtime = runtime
        locale = runtime.personal.account.preference("locale") or "en"
        theme = runtime.personal.account.preference("theme") or "system"
        self.ui = UiState(width, locale, theme, zone_named(zone))
        self.sync = SyncState()
        self.storage = StorageState(runtime.health)
        self.status = StatusState(runtime, locale)
        self.help = HelpState(runtime, locale)
        self.account = AccountState(runtime, locale)
        self.alerts = AlertsState(runtime)
        self.cases = CasesState(runtime, locale)
        self.callbacks = CallbacksState(runtime, zone=self.ui.zone, locale=locale)
        self.notices = NoticesState()
        self.history = NavigationHistory()
        self._run_task = run_task
        self._refusals = 0
        self._tasks: set[asyncio.Task[Any]] = set()
        self._last_synced: str | None = None
        self._content_changes = -1
        self._loop = _running_loop()
        runtime.scheduler.listeners.add(self._on_sync_status)
        if runtime.content_scheduler is not runtime.scheduler:
            runtime.content_scheduler.listeners.add(self._on_sync_status)
        runtime.health.listeners.add(self._on_storage)
        runtime.live.listeners.add(self._on_event)
        runtime.notices.listeners.add(self._on_notice)
        runtime.notices.locale = locale

    async def start(self) -> None:
        """Show what the store holds at once; the scheduler syncs in the background."""
        self._loop = asyncio.get_running_loop()
        self.storage.update_from(self.runtime.health)
        self._content_changes = self.runtime.content_scheduler.status.content_changes
        await self.status.load()
        await self.help.load()
        await self._load_wording()
        await self._load_private()
        self.sync.update_from(self._sync_status())

    def _post(self, work: Callable[..., Any], *args: Any) -> None:
        """Hand work from a shared task (sync, live events) to this window. A page that
        lost its connection (a reload reattaches the window to a new one) refuses
        `run_task`; the work then runs on this loop directly, so the window still shows
        it. A window that refuses for a long time is taken as closed."""
        try:
            self._run_task(work, *args)
        except Exception as error:
            log.debug("window %x refused an update (%s)", id(self), error.__class__.__name__)
            self._refusals += 1
            if self._refusals >= GONE_AFTER:
                self.close()
                return
            task = asyncio.get_running_loop().create_task(work(*args))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        else:
            self._refusals = 0

    def _on_sync_status(self, _: SyncStatus) -> None:
        # Called by a scheduler's task; state changes belong to this window's loop task.
        self._post(self._apply_status)

    def _sync_status(self) -> SyncStatus:
        return combined(self.runtime.scheduler.status, self.runtime.content_scheduler.status)

    async def _apply_status(self) -> None:
        """A sync moved on: show where it stands, and what it brought."""
        device = self.runtime.scheduler.status
        content = self.runtime.content_scheduler.status
        self.sync.update_from(combined(device, content))
        self.account.unsent = device.pending + device.failed
        if content.content_changes != self._content_changes:
            self._content_changes = content.content_changes
            await self.status.load()
            await self.help.load()
            await self._load_wording()
        elif content.last_synced:
            self.status.last_updated = content.last_synced
        if device.last_synced and device.last_synced != self._last_synced:
            self._last_synced = device.last_synced
            await self._load_private()

    async def _load_wording(self) -> None:
        company = await asyncio.to_thread(self.runtime.public.content.company)
        self.ui.wording = company.wording if company else {}

    async def _load_private(self) -> None:
        """What is the customer's own: account, alerts, cases and callbacks."""
        await self.account.load()
        await self.alerts.load()
        await self.cases.load()
        await self.callbacks.load()

    async def signed_in_or_out(self) -> None:
        """After sign-in or sign-out: show the (other) customer's own things."""
        await self._load_private()
        await self.status.load()

    async def came_back(self) -> None:
        """The window is back (a reload, or the browser returning from a page of
        Careline's own): show what the stores hold now."""
        await self.signed_in_or_out()

    async def sync_now(self) -> None:
        """'Try again' and 'sync now': the result arrives through `_apply_status`."""
        await self.runtime.scheduler.sync_now()
        if self.runtime.content_scheduler is not self.runtime.scheduler:
            await self.runtime.content_scheduler.sync_now()

    def _on_storage(self, _: StorageProblem | None) -> None:
        # Called from whichever thread noticed (a store write in a worker thread): the
        # state changes on this window's loop.
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._post, self._apply_storage)

    async def _apply_storage(self) -> None:
        self.storage.update_from(self.runtime.health)

    def _on_event(self, event: Event) -> None:
        self._post(self._apply_event, event)

    async def _apply_event(self, event: Event) -> None:
        """A live change is in the store: show it."""
        match event.kind:
            case "incident":
                await self.status.load()
            case "case":
                await self.cases.load()
            case "callback":
                await self.callbacks.load()

    def _on_notice(self, notice: Notice) -> None:
        self._post(self._show_notice, notice)

    async def _show_notice(self, notice: Notice) -> None:
        self.notices.add(notice)

    def close(self) -> None:
        self.runtime.scheduler.listeners.remove(self._on_sync_status)
        self.runtime.content_scheduler.listeners.remove(self._on_sync_status)
        self.runtime.live.listeners.remove(self._on_event)
        self.runtime.notices.listeners.remove(self._on_notice)
        self.runtime.health.listeners.remove(self._on_storage)

    async def set_locale(self, locale: str) -> None:
        """The app speaks `locale` from now on; signed in, the hub is told too (queued, so
        it arrives once, also after a time offline)."""
        try:
            await asyncio.to_thread(self.runtime.personal.account.set_locale, locale)
        except StorageError:
            log.info("language not saved: the device refuses writes")
        else:
            self.runtime.scheduler.poke()
        self.ui.locale = locale
        self.account.locale = locale
        self.help.locale = locale
        self.cases.locale = locale
        self.status.locale = locale
        self.callbacks.locale = locale
        self.runtime.notices.locale = locale
        # The store holds every language: the screens show the new one without a sync.
        await self.status.load()
        await self.help.load()
        await self.cases.load()
        await self.callbacks.load()

    async def set_theme(self, theme: str) -> None:
        await self._save_preference("theme", theme)
        self.ui.theme = theme

    async def _save_preference(self, key: str, value: str) -> None:
        """Remember a preference; on a device that refuses writes it holds for this run
        (the storage banner says why it will not be remembered)."""
        try:
            await asyncio.to_thread(self.runtime.personal.account.set_preference, key, value)
        except StorageError:
            log.info("preference %s not saved: the device refuses writes", key)
