"""The sync tests' rig: a hub in process and a device's stores syncing with it over a
transport that can inject faults on demand, and the company it is seeded with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from app.api import HubClient
from app.backend.crud import auth
from app.backend.crud.search_gaps import list_gaps
from app.backend.db import Database
from app.schemas import Customer
from app.store import LocalStores, PersonalStore, PublicStore
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


def hub_gaps(rig: Rig) -> list[tuple[str, str, int]]:
    with rig.db.read() as conn:
        return [(g.query, g.locale, g.count) for g in list_gaps(conn, locale=None, limit=50)]
