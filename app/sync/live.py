"""Live events while the app is open: the hub's event stream is read, each change goes
into the store at once, and listeners (the state layer, notifications) hear of it.

- Signed in, the customer's own stream: their cases and callbacks, and the incidents
  that concern them.
- Signed out, the public stream: every incident (listeners decide which concern the
  customer). A server opens one for all its signed-out visitors (`personal=None`) and
  offers each incident to their devices (`offer_public`), rather than one per browser.

The stream reconnects with backoff and resumes after the last event it applied, which a
device keeps in its personal store (a server's shared stream, in memory), so a restart
neither misses nor repeats one. An incident goes to the public store, which a server
shares between its visitors: each device still hears of it once."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from pydantic import ValidationError

from app.api import HubClient, HubError, Unauthorized
from app.api.events import Position, Resync
from app.background import BackgroundTask
from app.listeners import Listeners
from app.schemas import Customer, Event
from app.store import PersonalStore, PublicStore
from app.sync.backoff import Backoff
from app.sync.scheduler import SyncScheduler

log = logging.getLogger("careline.live")


class LiveEvents:
    def __init__(
        self,
        client: HubClient,
        *,
        personal: PersonalStore | None,
        public: PublicStore,
        scheduler: SyncScheduler,
        content_scheduler: SyncScheduler | None = None,
        backoff: Backoff | None = None,
        follow_public: bool = True,
        signed_out_wait: float = 30.0,
    ) -> None:
        """`scheduler` syncs the personal store, `content_scheduler` the public one (the
        same scheduler on a desktop or phone). Signed out, the public stream is read if
        `follow_public` (a server's devices hear it through `offer_public` instead, and
        look for a sign-in every `signed_out_wait` seconds; signing in wakes them)."""
        self.client = client
        self.personal = personal
        self.public = public
        self.scheduler = scheduler
        self.content_scheduler = content_scheduler or scheduler
        self.follow_public = follow_public or personal is None
        self.signed_out_wait = signed_out_wait
        self.backoff = backoff or Backoff(base=1.0, cap=60.0)
        self.connected = False
        self.signed_in = False  # whose stream: the customer's, or the public one
        self._position: int | None = None  # the shared stream's, kept in memory
        # Told of each applied event; a gone window must not stop the stream.
        self.listeners: Listeners[Event] = Listeners(log, "event")
        self._wake = asyncio.Event()
        self._task = BackgroundTask(self._run, "careline-live-events")

    def start(self) -> None:
        self._task.start()

    async def stop(self) -> None:
        await self._task.stop()

    def wake(self) -> None:
        """Signed in (or the network is back): connect now."""
        self._wake.set()

    async def _idle(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()

    def restart(self) -> None:
        """Signed in or out: end the stream held for whoever was signed in before, and
        connect again as the customer signed in now (or to the public stream)."""
        self._task.cancel()
        self._task.start()

    def offer_public(self, event: Event) -> None:
        """An incident from a server's shared public stream (already in the public
        store): a signed-out device tells its listeners; a signed-in one hears of the
        incidents that concern it on its own stream."""
        if not self.signed_in:
            self.listeners.tell(event)

    async def _run(self) -> None:
        while True:
            personal = self.personal
            self.signed_in = bool(
                personal and await asyncio.to_thread(personal.account.token) is not None
            )
            if not self.signed_in and not self.follow_public:
                await self._idle(self.signed_out_wait)
                continue
            try:
                await self.listen_once(public=not self.signed_in)
                self.backoff.reset()
                await self._idle(1)  # the hub ended the stream (a restart, a slow read)
            except Unauthorized:
                await self._idle(300)  # the scheduler asks the customer to sign in again
            except HubError as error:
                log.info("event stream: %s", error)
                # The hub's wait, if it asked for one (a 429, or this stream replaced by
                # a newer one: coming straight back would close that one in turn).
                await self._idle(self.backoff.next_delay(error.retry_after))
            except Exception:  # a bug or a locked store must not end live updates for good
                log.exception("event stream failed; reconnecting")
                await self._idle(self.backoff.next_delay())
            finally:
                self.connected = False

    async def listen_once(self, *, public: bool = False) -> None:
        """Read the stream until it ends, applying each event."""
        after = await self._resume_at(public)
        customer = None if public else await asyncio.to_thread(self._customer)
        async for item in self.client.events(after=after, public=public):
            self.connected = True
            self.backoff.reset()
            if isinstance(item, Position):
                if after is None:
                    await self._note(item.id, public)
                continue
            if isinstance(item, Resync):
                await self._note(item.id, public)
                self.scheduler.poke(0)
                continue
            if item.customer_id is not None and (
                customer is None or item.customer_id != customer.id
            ):
                continue  # another customer's (a stream from before a sign-out)
            try:
                applied, pull = await asyncio.to_thread(self._apply, item, public)
            except ValidationError:
                # An entity this version cannot read: skip it (a pull brings what it can).
                log.warning("event %s (%s) could not be read; skipped", item.id, item.kind)
                await self._note(item.id, public)
                continue
            if applied:
                self.listeners.tell(item)
            if pull:
                self.scheduler.poke(0)  # part of a case's thread came: fetch the rest
            if item.kind == "incident":
                self.content_scheduler.poke(0)  # component states move with incidents

    def _customer(self) -> Customer | None:
        return self.personal.account.customer() if self.personal else None

    async def _resume_at(self, public: bool) -> int | None:
        if self.personal is None:
            return self._position
        return await asyncio.to_thread(self.personal.account.last_event_id, public=public)

    async def _note(self, event_id: int, public: bool) -> None:
        if self.personal is None:
            self._position = event_id
        else:
            await asyncio.to_thread(
                self.personal.account.set_last_event_id, event_id, public=public
            )

    def _apply(self, event: Event, public: bool) -> tuple[bool, bool]:
        """Keep the event's entity; whether it is news to this device, and whether a pull
        should follow (a case change that carried only part of a thread this device may
        not hold whole)."""
        if event.kind == "incident":
            self.public.applier.apply_change(event.as_change())
        if self.personal is None:
            self._position = event.id
            return event.kind == "incident", False
        applied = self.personal.applier.apply_event(event, public=public)
        return applied.news, applied.pull
