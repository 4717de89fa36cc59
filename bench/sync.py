"""Sync speed against a real hub process on loopback (SQLite): the first full sync of a big
help centre and incident history, a sync with nothing new, and draining a long outbox."""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from app.api import HubClient
from app.backend.crud import auth, kb, status
from app.backend.crud.components import save_component
from app.backend.db import Database, migrate
from app.backend.mutation_handlers import handler_for
from app.backend.settings import HubSettings, sqlite_url
from app.schemas import Customer, Impact, IncidentStatus, MutationName
from app.store import open_local
from app.sync import SyncEngine
from bench.corpus import corpus
from tests.hub_process import RealHub


class CountingTransport(httpx.AsyncBaseTransport):
    """Records each request's path, status and response size."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.seen: list[tuple[str, int, int]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        self.seen.append((f"{request.method} {request.url.path}", response.status_code, len(body)))
        return httpx.Response(
            response.status_code, headers=response.headers, content=body, request=request
        )

    async def aclose(self) -> None:
        await self.inner.aclose()


def seed_hub(folder: Path, articles: int, incidents: int) -> tuple[str, Customer]:
    """Fill a hub database before the hub starts; returns a customer token."""
    folder.mkdir(parents=True)
    settings = HubSettings(data_dir=folder, database_url=sqlite_url(folder))
    db = Database(settings.database_url)
    migrate(db)
    with db.write() as conn:
        for article in corpus(articles):
            kb.save_article(
                conn,
                slug=article.slug,
                locale="en",
                title=article.title,
                body=article.body,
                category=article.category,
                tags=article.tags,
            )
        save_component(conn, component_id="flights-ord", name="Flights at ORD")
        start = datetime.now(UTC) - timedelta(days=400)
        for n in range(incidents):
            when = start + timedelta(hours=9 * n)
            made = status.publish_incident(
                conn,
                title=f"Incident {n}",
                impact=Impact.minor,
                components_affected=["flights-ord"],
                body="Investigating.",
                started_at=when,
            )
            status.update_incident(
                conn,
                incident_id=made.id,
                status=IncidentStatus.resolved,
                body="Resolved.",
                at=when + timedelta(hours=2),
            )
        customer = auth.ensure_customer(conn, email="bench@example.com")
        session = auth.issue_customer_session(conn, customer=customer, settings=settings)
    db.dispose()
    return session.token, Customer.model_validate(session.customer.model_dump())


async def run(articles: int, incidents: int, mutations: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="careline-bench-"))
    print(f"seeding the hub with {articles:,} articles and {incidents:,} incidents…")
    token, customer = seed_hub(folder / "hub", articles, incidents)
    hub = RealHub(folder / "hub")
    # One customer drains a long outbox here: lift the per-customer write limit (120 a
    # minute by default), which would otherwise be what is measured.
    hub.env["CARELINE_WRITES_PER_MINUTE"] = str(max(120, 10 * mutations))
    hub.start(demo=False)
    transport = CountingTransport()
    try:
        store = open_local(folder / "app")
        store.personal.account.sign_in(token, customer)
        client = HubClient(hub.url, token=store.personal.account.token, transport=transport)
        engine = SyncEngine(client, public=store.public, personal=store.personal)

        started = time.perf_counter()
        report = await engine.sync()
        first = time.perf_counter() - started
        print(
            f"\nfirst full sync: {first:.2f} s for {report.pulled:,} changes in "
            f"{report.requests} requests (goal <= 3 s): {'meets' if first <= 3 else 'MISSES'}"
        )

        transport.seen.clear()
        started = time.perf_counter()
        await engine.sync()
        idle = time.perf_counter() - started
        print(f"sync with nothing new: {idle * 1000:.1f} ms, requests:")
        for path, code, size in transport.seen:
            print(f"    {path:<20} {code}  {size:>6} bytes")

        for n in range(mutations):
            store.personal.cases.open(
                subject=f"Case {n}", description="Queued offline", category="general"
            )
        started = time.perf_counter()
        report = await engine.sync()
        drain = time.perf_counter() - started
        print(
            f"draining {mutations:,} queued mutations: {drain:.2f} s, {report.pushed:,} "
            f"applied (goal <= 5 s): {'meets' if drain <= 5 else 'MISSES'}"
        )
        straight = insert_straight(folder / "hub", customer.id, mutations)
        print(
            f"the same {mutations:,} cases inserted straight into the database (one "
            f"transaction, no HTTP, no idempotency records): {straight:.2f} s; the drain "
            f"takes {drain / straight:.1f}x that"
        )
        await client.aclose()
        store.close()
    finally:
        hub.stop()


def insert_straight(folder: Path, customer_id: str, count: int) -> float:
    """Seconds to open `count` cases through the hub's own handler in one transaction:
    the database's share of a drain, the anchor the drain is compared with."""
    db = Database(sqlite_url(folder))
    args_model, handler = handler_for(
        MutationName.case_open, max_case_messages=None, booking_pattern=None
    )
    args = [
        args_model.model_validate(
            {"subject": f"Straight {n}", "description": "Queued offline", "category": "general"}
        )
        for n in range(count)
    ]
    started = time.perf_counter()
    with db.write() as conn:
        for one in args:
            handler(conn, customer_id, one)
    elapsed = time.perf_counter() - started
    db.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--incidents", type=int, default=1_000)
    parser.add_argument("--mutations", type=int, default=1_000)
    args = parser.parse_args()
    asyncio.run(run(args.articles, args.incidents, args.mutations))


if __name__ == "__main__":
    main()
