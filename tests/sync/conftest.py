"""A hub in process (real app, real SQLite file) and a device's stores (public content and
personal data, as on a desktop) syncing with it over a transport that can inject faults on
demand."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.api import HubClient
from app.backend.crud import auth
from app.backend.db import Database
from app.backend.main import create_app
from app.backend.settings import HubSettings, RateLimit, sqlite_url
from app.schemas import Customer
from app.store import LocalStores, PersonalStore, PublicStore, open_local
from app.sync import SyncEngine
from tests.support import seed_company


class FaultyTransport(httpx.AsyncBaseTransport):
    """Passes requests to the hub, except for the faults queued in `plan`:
    'drop_before' (connection refused), 'drop_after' (the hub committed, the answer is
    lost), 'timeout_after' (the answer comes too late), '500', '503' (Retry-After: 7).
    With `max_body` set, bigger requests get 413, as a hub with a smaller limit answers."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.plan: list[str] = []
        self.down = False
        self.max_body: int | None = None
        self.requests: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url.path}")
        fault = self.plan.pop(0) if self.plan else None
        if self.down or fault == "drop_before":
            raise httpx.ConnectError("connection refused", request=request)
        if self.max_body is not None and len(request.content) > self.max_body:
            return httpx.Response(413, json={"title": "Request too large", "status": 413})
        if fault == "500":
            return httpx.Response(500, json={"title": "Internal error", "status": 500})
        if fault == "503":
            return httpx.Response(
                503, headers={"Retry-After": "7"}, json={"title": "Unavailable", "status": 503}
            )
        response = await self.inner.handle_async_request(request)
        if fault == "drop_after":
            await response.aread()
            raise httpx.ReadError("connection reset", request=request)
        if fault == "timeout_after":
            await response.aread()
            raise httpx.ReadTimeout("no answer in time", request=request)
        return response


@dataclass
class Rig:
    db: Database
    hub: Any
    transport: FaultyTransport
    client: HubClient
    store: LocalStores
    engine: SyncEngine

    @property
    def public(self) -> PublicStore:
        return self.store.public

    @property
    def personal(self) -> PersonalStore:
        return self.store.personal

    def sign_in(self, email: str = "alice@example.com") -> str:
        with self.db.write() as conn:
            customer = auth.ensure_customer(conn, email=email)
            session = auth.issue_customer_session(
                conn, customer=customer, settings=self.hub.state.hub.settings
            )
        self.personal.account.sign_in(
            session.token, Customer.model_validate(session.customer.model_dump())
        )
        return customer.id


def seed(db: Database) -> None:
    """The test company, with plenty of agents and no notice, so callbacks always fit."""
    seed_company(db, agents=20, min_notice_minutes=0, time_zone="UTC")


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
def anyio_backend() -> Iterator[str]:
    return "asyncio"
