"""The app's long-lived parts, made once per process and shared by every screen."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.api import HubClient
from app.store import LocalStore, open_store
from app.sync import SyncEngine, SyncScheduler


@dataclass
class Services:
    store: LocalStore
    client: HubClient
    engine: SyncEngine
    scheduler: SyncScheduler

    @classmethod
    def create(
        cls,
        *,
        data_dir: Path | str | None,
        hub_url: str,
        store: LocalStore | None = None,
        client: HubClient | None = None,
    ) -> Services:
        local = store or open_store(data_dir)
        hub = client or HubClient(hub_url, token=local.repos.account.token)
        engine = SyncEngine(local, hub)
        return cls(local, hub, engine, SyncScheduler(engine))

    async def close(self) -> None:
        await self.scheduler.stop()
        await self.client.aclose()
        self.store.close()
