"""A hub in process (real app, real SQLite file) and a device's stores (public content and
personal data, as on a desktop) syncing with it over a transport that can inject faults on
demand."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app.api import HubClient
from app.backend.db import Database
from app.backend.main import create_app
from app.backend.settings import HubSettings, RateLimit, sqlite_url
from app.store import open_local
from app.sync import SyncEngine
from tests.sync.support import FaultyTransport, Rig, seed


@pytest.fixture
def hub_settings(tmp_path: Path) -> HubSettings:
    folder = tmp_path / "hub"
    return HubSettings(
        data_dir=folder, database_url=sqlite_url(folder), writes_per_customer=RateLimit(100_000, 60)
    )


@pytest.fixture
async def rig(hub_settings: HubSettings, tmp_path: Path) -> AsyncIterator[Rig]:
    hub = create_app(hub_settings)
    db: Database = hub.state.hub.db
    seed(db)
    transport = FaultyTransport(httpx.ASGITransport(app=hub))
    store = open_local(tmp_path / "app")
    client = HubClient("http://hub.test", token=store.personal.account.token, transport=transport)
    engine = SyncEngine(client, public=store.public, personal=store.personal)
    yield Rig(db, hub, transport, client, store, engine)
    await client.aclose()
    store.close()
    db.dispose()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
