"""Live events while the app is open: the hub's event stream is read, each change goes
into the store at once, and listeners (the state layer, notifications) hear of it.

The stream reconnects with backoff and resumes after the last event it applied, which is
kept in the personal store, so a restart neither misses nor repeats one. An incident goes
to the public store (which a server shares between its visitors: each device still hears
of it once). Without a sign-in there is no stream; signing in wakes it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from pydantic import ValidationError

from app.api import HubClient, HubError, Unauthorized
from app.api.events import Position, Resync
from app.schemas import Event
from app.store import PersonalStore, PublicStore
from app.sync.backoff import Backoff
from app.sync.scheduler import SyncScheduler

log = logging.getLogger("careline.live")
EventListener = Callable[[Event], None]


class LiveEvents:
    def __init__(
        self,
        client: HubClient,
        *,
        personal: PersonalStore,
        public: PublicStore,
        scheduler: SyncScheduler,
        content_scheduler: SyncScheduler | None = None,
        backoff: Backoff | None = None,
        signed_out_wait: float = 30.0,
    ) -> None:
        """`scheduler` syncs the personal store, `content_scheduler` the public one (the
        same scheduler on a desktop or phone). Signed out, it looks for a sign-in every
        `signed_out_wait` seconds (signing in wakes it at once)."""
        self.client = client
        self.personal = personal
        self.public = public
        self.scheduler = scheduler
        self.content_scheduler = content_scheduler or scheduler
        self.signed_out_wait = signed_out_wait
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
            if await asyncio.to_thread(self.personal.account.token) is None:
                await self._idle(self.signed_out_wait)
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
        account = self.personal.account
        after = await asyncio.to_thread(account.last_event_id)
        customer = await asyncio.to_thread(account.customer)
        async for item in self.client.events(after=after):
            self.connected = True
            self.backoff.reset()
            if isinstance(item, Position):
                if after is None:
                    await asyncio.to_thread(account.set_last_event_id, item.id)
                continue
            if isinstance(item, Resync):
                await asyncio.to_thread(account.set_last_event_id, item.id)
                self.scheduler.poke(0)
                continue
            if item.customer_id is not None and (
                customer is None or item.customer_id != customer.id
            ):
                continue  # another customer's (a stream from before a sign-out)
            try:
                applied = await asyncio.to_thread(self._apply, item)
            except ValidationError:
                # An entity this version cannot read: skip it (a pull brings what it can).
                log.warning("event %s (%s) could not be read; skipped", item.id, item.kind)
                await asyncio.to_thread(account.set_last_event_id, item.id)
                continue
            if applied:
                self._tell(item)
            if item.kind == "incident":
                self.content_scheduler.poke(0)  # component states move with incidents

    def _apply(self, event: Event) -> bool:
        """Keep the event's entity; True when it is news to this device."""
        if event.kind == "incident":
            self.public.applier.apply_change(event.as_change())
        return self.personal.applier.apply_event(event)

    def _tell(self, event: Event) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a gone window must not stop the stream
                log.exception("event listener failed; removed")
                self.remove_listener(listener)
