"""The app's long-lived parts, made once per process and shared by every screen."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.api import HubClient
from app.notify import desktop_notifier
from app.state.notices import NoticeCenter
from app.store import LocalStore, open_store
from app.sync import SyncEngine, SyncScheduler
from app.sync.live import LiveEvents


@dataclass
class Services:
    store: LocalStore
    client: HubClient
    engine: SyncEngine
    scheduler: SyncScheduler
    live: LiveEvents
    notices: NoticeCenter

    @classmethod
    def create(
        cls,
        *,
        data_dir: Path | str | None,
        hub_url: str,
        store: LocalStore | None = None,
        client: HubClient | None = None,
        web: bool = True,
    ) -> Services:
        """`web`: served to a browser, where an OS notification would reach the server's
        desktop, not the customer."""
        local = store or open_store(data_dir)
        hub = client or HubClient(hub_url, token=local.repos.account.token)
        engine = SyncEngine(local, hub)
        scheduler = SyncScheduler(engine)
        live = LiveEvents(local, hub, scheduler)
        notices = NoticeCenter(local, desktop_notifier(web=web))
        live.on_event(notices.handle)
        return cls(local, hub, engine, scheduler, live, notices)

    def start(self) -> None:
        self.scheduler.start()
        self.live.start()

    async def close(self) -> None:
        await self.live.stop()
        await self.scheduler.stop()
        await self.client.aclose()
        self.store.close()
