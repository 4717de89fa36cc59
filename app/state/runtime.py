"""What runs for one device, for as long as the app runs: its stores, hub client, sync,
live events and notices (`DeviceRuntime`). A desktop or phone has one device: both stores,
one sync for both. A server shares the public content (`SharedContent`: its store and its
sync, once for every visitor) and gives each browser a `DeviceRuntime` over its own
personal store. The windows of a device share its runtime (see `app.state.window`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from app.api import KEEPALIVE_EXPIRY, HubClient
from app.notify import NoticeCenter, desktop_notifier
from app.store import LocalStores, PersonalStore, PublicStore, StorageHealth, open_local
from app.store.tokens import TokenKeeper
from app.sync import SyncEngine, SyncScheduler
from app.sync.live import LiveEvents

# A server holds many devices' event streams at once: no cap on connections to the hub.
SERVER_LIMITS = httpx.Limits(
    max_connections=None, max_keepalive_connections=50, keepalive_expiry=KEEPALIVE_EXPIRY
)
# On a server, a device's changes come by its event stream and after its own writes; its
# periodic sync (and a signed-out device's look for a sign-in) is only a safety net.
DEVICE_INTERVAL = 300.0


class Syncing:
    """What talks to the hub for a store: its client, its scheduled sync and its live
    event stream, started and stopped together (the stream pokes the scheduler)."""

    client: HubClient
    scheduler: SyncScheduler
    live: LiveEvents

    def start(self) -> None:
        self.scheduler.start()
        self.live.start()

    async def _stop_syncing(self) -> None:
        """Stop the stream, then the sync, then close the client they share."""
        await self.live.stop()
        await self.scheduler.stop()
        await self.client.aclose()


@dataclass
class SharedContent(Syncing):
    """Public content on a server: one store, one sync and one public event stream (each
    new incident offered to every signed-out visitor's device) for every visitor."""

    store: PublicStore
    client: HubClient
    scheduler: SyncScheduler
    live: LiveEvents

    @classmethod
    def create(cls, store: PublicStore, hub_url: str, *, interval: float = 15.0) -> SharedContent:
        """`interval`: how often to check the hub (its public answers are cached for 15 s,
        so checking more often brings nothing new)."""
        client = HubClient(hub_url, limits=SERVER_LIMITS)
        scheduler = SyncScheduler(SyncEngine(client, public=store), interval=interval)
        live = LiveEvents(client, personal=None, public=store, scheduler=scheduler)
        return cls(store, client, scheduler, live)

    async def close(self) -> None:
        await self._stop_syncing()
        self.store.close()


@dataclass
class DeviceRuntime(Syncing):
    """One device's running parts (a desktop's, or one browser's on a server), and the
    public content it reads."""

    public: PublicStore
    personal: PersonalStore
    client: HubClient
    engine: SyncEngine
    scheduler: SyncScheduler  # the device's outbox and own feed (and on a desktop, all)
    content_scheduler: SyncScheduler  # public content (on a desktop, the same one)
    live: LiveEvents
    notices: NoticeCenter
    shared: SharedContent | None = None  # a server's: public content is not this device's

    @classmethod
    def create(
        cls,
        *,
        data_dir: Path | str | None,
        hub_url: str,
        stores: LocalStores | None = None,
        client: HubClient | None = None,
        os_notifications: bool = False,
        tokens: TokenKeeper | None = None,
    ) -> DeviceRuntime:
        """A desktop or phone: both stores on the device, synced together.
        `os_notifications`: a desktop's, through plyer (a phone build has no plyer
        backend: its alerts show in the app); `tokens`: the device's keychain."""
        local = stores or open_local(data_dir, tokens=tokens)
        personal = local.personal
        hub = client or HubClient(hub_url, token=personal.account.token)
        engine = SyncEngine(hub, public=local.public, personal=personal)
        scheduler = SyncScheduler(engine)
        live = LiveEvents(hub, personal=personal, public=local.public, scheduler=scheduler)
        notices = NoticeCenter(personal.account, desktop_notifier(web=not os_notifications))
        live.listeners.add(notices.handle)
        return cls(local.public, personal, hub, engine, scheduler, scheduler, live, notices)

    @classmethod
    def for_device(cls, shared: SharedContent, personal: PersonalStore) -> DeviceRuntime:
        """A browser on a server: its own personal store and sync (sharing the server's
        connections to the hub), the public content of `shared`, no OS notifications."""
        client = shared.client.for_token(personal.account.token)
        engine = SyncEngine(client, personal=personal)
        scheduler = SyncScheduler(engine, interval=DEVICE_INTERVAL)
        live = LiveEvents(
            client,
            personal=personal,
            public=shared.store,
            scheduler=scheduler,
            content_scheduler=shared.scheduler,
            follow_public=False,
            signed_out_wait=DEVICE_INTERVAL,
        )
        notices = NoticeCenter(personal.account, None)
        live.listeners.add(notices.handle)
        shared.live.listeners.add(live.offer_public)
        return cls(
            shared.store,
            personal,
            client,
            engine,
            scheduler,
            shared.scheduler,
            live,
            notices,
            shared=shared,
        )

    @property
    def health(self) -> StorageHealth:
        """What the device's disk says (on a desktop both stores share it)."""
        return self.personal.db.health

    async def close(self) -> None:
        await self._stop_syncing()
        self.personal.close()
        if self.shared is None:
            self.public.close()
        else:
            self.shared.live.listeners.remove(self.live.offer_public)
