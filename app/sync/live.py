"""Live events while the app is open: the hub's event stream is read, each change goes
into the store at once, and listeners (the state layer, notifications) hear of it.

The stream reconnects with backoff and resumes after the last event it applied, which is
kept in the store, so a restart neither misses nor repeats one. Without a sign-in there
is no stream; signing in wakes it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from pydantic import ValidationError

from app.api import HubClient, HubError, Unauthorized
from app.api.events import Position, Resync
from app.schemas import Event
from app.store import LocalStore
from app.sync.backoff import Backoff
from app.sync.scheduler import SyncScheduler

log = logging.getLogger("careline.live")
EventListener = Callable[[Event], None]


class LiveEvents:
    def __init__(
        self,
        store: LocalStore,
        client: HubClient,
        scheduler: SyncScheduler,
        *,
        backoff: Backoff | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.scheduler = scheduler
        self.backoff = backoff or Backoff(base=1.0, cap=60.0)
        self.connected = False
        self._listeners: list[EventListener] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def on_event(self, listener: EventListener) -> None:
        """Call `listener` with each applied event (keep a strong reference to it)."""
        self._listeners.append(listener)

    def remove_listener(self, listener: EventListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="careline-live-events")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self) -> None:
        """Signed in (or the network is back): connect now."""
        self._wake.set()

    async def _idle(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()

    def restart(self) -> None:
        """Signed in or out: end the stream held for whoever was signed in before, and
        connect again as the customer signed in now (if any)."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self.start()

    async def _run(self) -> None:
        while True:
            if await asyncio.to_thread(self.store.repos.account.token) is None:
                await self._idle(30)
                continue
            try:
                await self.listen_once()
                self.backoff.reset()
                await self._idle(1)  # the hub ended the stream (a restart, a slow read)
            except Unauthorized:
                await self._idle(300)  # the scheduler asks the customer to sign in again
            except HubError as error:
                log.info("event stream: %s", error)
                await self._idle(self.backoff.next_delay())
            except Exception:  # a bug or a locked store must not end live updates for good
                log.exception("event stream failed; reconnecting")
                await self._idle(self.backoff.next_delay())
            finally:
                self.connected = False

    async def listen_once(self) -> None:
        """Read the stream until it ends, applying each event."""
        repos = self.store.repos
        after = await asyncio.to_thread(repos.account.last_event_id)
        customer = await asyncio.to_thread(repos.account.customer)
        async for item in self.client.events(after=after):
            self.connected = True
            self.backoff.reset()
            if isinstance(item, Position):
                if after is None:
                    await asyncio.to_thread(repos.account.set_last_event_id, item.id)
                continue
            if isinstance(item, Resync):
                await asyncio.to_thread(repos.account.set_last_event_id, item.id)
                self.scheduler.poke(0)
                continue
            if item.customer_id is not None and (
                customer is None or item.customer_id != customer.id
            ):
                continue  # another customer's (a stream from before a sign-out)
            try:
                applied = await asyncio.to_thread(repos.applier.apply_event, item)
            except ValidationError:
                # An entity this version cannot read: skip it (a pull brings what it can).
                log.warning("event %s (%s) could not be read; skipped", item.id, item.kind)
                await asyncio.to_thread(repos.account.set_last_event_id, item.id)
                continue
            if applied:
                self._tell(item)
            if item.kind == "incident":
                self.scheduler.poke(0)  # component states move with incidents

    def _tell(self, event: Event) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a gone window must not stop the stream
                log.exception("event listener failed; removed")
                self.remove_listener(listener)
