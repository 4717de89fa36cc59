"""The hub SIGKILLed in the middle of write load (case opens, replies, callbacks racing for
the same slots, pushed like real clients with idempotency keys), then restarted on the
same data while every client retries what was not acknowledged with the same keys:
every acknowledged write is there, every retried one exactly once, nothing half-written,
no slot overbooked. On SQLite, and on PostgreSQL when the suite has a server.

The figures the test measures are printed (`pytest -s` shows them)."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Connection, func, select

from app.api import HubClient, HubError
from app.backend.db import Database
from app.backend.db.tables import (
    callbacks,
    case_messages,
    cases,
    events,
    slot_usage,
    sync_changes,
)
from app.schemas.callbacks import ACTIVE_STATUSES
from app.store import LocalStores, open_local
from app.sync import SyncEngine
from tests.backend.write_load_support import (
    RETRYABLE,
    Sent,
    Writer,
    check_writers,
    prepare,
)
from tests.hub_process import RealHub
from tests.support import mutation

WRITERS = 16
ROUNDS = 3
PLACES_PER_SLOT = 3  # seed_company: one agent, three calls per 30-minute slot
KILL_AT_SHARE = 0.35  # SIGKILL once this share of all mutations is acknowledged
APP_CASES = 12


def plan(n: int, slots: list[str]) -> list[Sent]:
    """Per round: open a case, reply twice, book a contested slot (for the case), move it
    to another contested slot every other round, and cancel it (not in the last round, so
    some bookings stay)."""
    entries: list[dict[str, Any]] = []

    def add(name: str, **args: Any) -> None:
        entries.append(mutation(name, len(entries) + 1, **args))

    for r in range(ROUNDS):
        case, callback = f"w{n}-case{r}", f"w{n}-cb{r}"
        add("case.open", subject=f"Writer {n} case {r}", description="Stuck at ORD",
            category="general", client_ref=case)  # fmt: skip
        add("case.reply", case=case, body=f"first {n}/{r}", client_ref=f"{case}-m1")
        add("callback.request", queue="help", mode="slot", phone="+13125550100",
            slot_start=slots[(n + r) % len(slots)], case=case, client_ref=callback)  # fmt: skip
        add("case.reply", case=case, body=f"second {n}/{r}", client_ref=f"{case}-m2")
        if r % 2 == 0:
            add("callback.reschedule", callback=callback, slot_start=slots[(n + r + 1) % 3])
        if r < ROUNDS - 1:
            add("callback.cancel", callback=callback)
    return [Sent(e) for e in entries]


@dataclass
class AppRun:
    subjects: list[str] = field(default_factory=list)
    failed_syncs: int = 0


async def app_client(
    store: LocalStores, url: str, restarted: asyncio.Event, deadline: float
) -> AppRun:
    """The real app: a person opens a case and replies to it every ~0.1 s (at least
    APP_CASES times, and until the hub has been killed and started again) while the sync
    engine drains the outbox; it retries whatever fails until nothing is pending."""
    client = HubClient(url, token=store.personal.account.token)
    engine = SyncEngine(client, public=store.public, personal=store.personal)
    run = AppRun()
    try:
        while len(run.subjects) < APP_CASES or not restarted.is_set():
            assert time.monotonic() < deadline, "the hub was not restarted in time"
            subject = f"App case {len(run.subjects)}"
            local = await asyncio.to_thread(
                store.personal.cases.open, subject=subject, description="From the app",
                category="general",
            )  # fmt: skip
            await asyncio.to_thread(store.personal.cases.reply, local, f"reply to {subject}")
            run.subjects.append(subject)
            try:
                await engine.sync()
            except HubError:
                run.failed_syncs += 1
            await asyncio.sleep(0.1)
        while (await asyncio.to_thread(store.personal.outbox.counts))["pending"]:
            assert time.monotonic() < deadline, "the app's outbox did not drain in time"
            try:
                await engine.sync()
            except HubError:
                run.failed_syncs += 1
                await asyncio.sleep(0.1)
    finally:
        await client.aclose()
    return run


@dataclass
class KillReport:
    acked_before: int = 0
    in_flight: int = 0
    down_seconds: float = 0.0


async def kill_and_restart(
    hub: RealHub, writers: list[Writer], total: int, restarted: asyncio.Event
) -> KillReport:
    """SIGKILL the hub once enough is acknowledged, then start it again on the same data."""
    report = KillReport()
    acked = 0
    while acked < total * KILL_AT_SHARE:
        await asyncio.sleep(0.005)
        acked = sum(s.result is not None for w in writers for s in w.outbox)
    assert hub.process is not None and hub.process.poll() is None, "the hub was running"
    hub.kill()
    down = time.monotonic()
    report.acked_before = sum(s.result is not None for w in writers for s in w.outbox)
    report.in_flight = sum(len(w.in_flight) for w in writers)
    await asyncio.sleep(0.3)  # clients meet a refused connection for a while
    await asyncio.to_thread(hub.start, demo=False)
    report.down_seconds = time.monotonic() - down
    restarted.set()
    return report


@pytest.fixture
def hub_dir(tmp_path: Path) -> Path:
    return tmp_path / "hub"


@pytest.fixture
def stopped_at_end(hub_dir: Path, database_url: str) -> Iterator[RealHub]:
    """A hub that is stopped (or killed) whatever the test does."""
    hub = RealHub(hub_dir, database_url)
    try:
        yield hub
    finally:
        hub.kill()


@pytest.mark.server
@pytest.mark.slow
def test_hub_killed_mid_write_load_loses_and_duplicates_nothing(
    stopped_at_end: RealHub, database_url: str, hub_dir: Path, tmp_path: Path
) -> None:
    hub = stopped_at_end
    prepared = prepare(database_url, hub_dir, WRITERS)
    hub.start(demo=False)
    found = httpx.get(f"{hub.url}/v1/callbacks/availability", params={"queue": "help", "limit": 3})
    slots = [s["start"] for s in found.json()["slots"]]
    assert len(slots) == 3 and all(s["remaining"] == PLACES_PER_SLOT for s in found.json()["slots"])
    writers = [Writer(n, prepared.tokens[n], plan(n, slots)) for n in range(WRITERS)]
    total = sum(len(w.outbox) for w in writers)
    store = open_local(tmp_path / "app")
    store.personal.account.sign_in(*prepared.app_session)

    async def run() -> tuple[KillReport, AppRun]:
        deadline = time.monotonic() + 60
        limits = httpx.Limits(max_connections=WRITERS, max_keepalive_connections=WRITERS)
        async with httpx.AsyncClient(base_url=hub.url, timeout=10, limits=limits) as http:
            restarted = asyncio.Event()
            killing = asyncio.create_task(kill_and_restart(hub, writers, total, restarted))
            app = asyncio.create_task(app_client(store, hub.url, restarted, deadline))
            await asyncio.gather(*(w.drain(http, deadline) for w in writers))
            return await killing, await app

    started = time.monotonic()
    report, app = asyncio.run(run())
    elapsed = time.monotonic() - started
    sent = [s for w in writers for s in w.outbox]
    retried = [s for s in sent if s.unanswered]
    statuses = sum((w.statuses for w in writers), Counter[int]())
    outcomes = Counter(s.result["status"] for s in sent if s.result)
    print(
        f"\n[faults] {total} mutations from {WRITERS} writers in {elapsed:.1f} s; "
        f"{report.acked_before} acknowledged before SIGKILL, {report.in_flight} in flight; "
        f"hub down {report.down_seconds:.1f} s; {len(retried)} retried; "
        f"outcomes {dict(outcomes)}; HTTP {dict(statuses)}; app: {len(app.subjects)} cases, "
        f"{app.failed_syncs} failed syncs"
    )
    assert 0 < report.acked_before < total, "killed in the middle of the load"
    assert retried, "some mutations went unanswered and were sent again"
    assert app.failed_syncs > 0, "the app's sync met the killed hub"
    assert set(statuses) <= {200, *RETRYABLE}, statuses

    hub.stop()
    db = Database(database_url)
    try:
        with db.read() as conn:
            check_writers(conn, writers, prepared.customer_ids)
            check_no_partial_writes(conn)
            check_app(conn, store, prepared.app_session[1].id, app.subjects)
    finally:
        db.dispose()
        store.close()


def check_no_partial_writes(conn: Connection) -> None:
    """Counters match what they count, and every change reached the feed and event log."""
    active = Counter(
        (row.queue_id, row.slot_start)
        for row in conn.execute(
            select(callbacks.c.queue_id, callbacks.c.slot_start).where(
                callbacks.c.status.in_(ACTIVE_STATUSES), callbacks.c.slot_start.is_not(None)
            )
        )
    )
    usage = {(row.queue_id, row.slot_start): row.booked for row in conn.execute(select(slot_usage))}
    assert active, "some bookings stand at the end"
    for slot, booked in usage.items():
        assert booked == active.get(slot, 0), f"slot {slot}: counted {booked}, {active[slot]}"
        assert booked <= PLACES_PER_SLOT, f"slot {slot} overbooked: {booked}"
    assert set(active) <= set(usage), "a booking its slot does not count"
    for table, entity in ((cases, "case"), (callbacks, "callback")):
        versions = {row.id: row.version for row in conn.execute(select(table))}
        fed = {
            row.entity_id: row.version
            for row in conn.execute(select(sync_changes).where(sync_changes.c.entity == entity))
        }
        assert {k: fed.get(k) for k in versions} == versions, f"a {entity} missing from the feed"
        logged = {row.entity_id for row in conn.execute(select(events.c.entity_id))}
        assert set(versions) <= logged, f"a {entity} missing from the event log"
    orphans = conn.execute(
        select(func.count())
        .select_from(case_messages)
        .outerjoin(cases, cases.c.id == case_messages.c.case_id)
        .where(cases.c.id.is_(None))
    ).scalar_one()
    assert orphans == 0, "messages without their case"


def check_app(conn: Connection, store: LocalStores, customer_id: str, subjects: list[str]) -> None:
    """The app's outbox drained and the hub holds each of its cases and replies once."""
    assert store.personal.outbox.counts() == {"pending": 0, "rejected": 0}
    rows = conn.execute(select(cases).where(cases.c.customer_id == customer_id)).all()
    assert sorted(r.subject for r in rows) == sorted(subjects)
    for row in rows:
        bodies = conn.execute(
            select(case_messages.c.body).where(case_messages.c.case_id == row.id)
        ).scalars()
        assert list(bodies) == [f"reply to {row.subject}"], row.subject
    assert all(case.sync_state == "synced" for case in store.personal.cases.list())
