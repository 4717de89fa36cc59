"""Storm-day faults against real hub processes.

1. The hub SIGKILLed in the middle of write load (case opens, replies, callbacks racing for
   the same slots, pushed like real clients with idempotency keys), then restarted on the
   same data while every client retries what was not acknowledged with the same keys:
   every acknowledged write is there, every retried one exactly once, nothing half-written,
   no slot overbooked. On SQLite, and on PostgreSQL when the suite has a server.
2. The hub's PostgreSQL server stopped and started (a private cluster, never the machine's
   shared one): the hub answers 503 + Retry-After problem documents quickly, says so on
   /healthz, recovers by itself and loses nothing; its event fan-out and push dispatcher
   carry on afterwards.
3. In process (quick): while the database is away, write requests do not make the event
   tail retry at their pace, the push dispatcher carries on, the log gets a line rather
   than a flood, and a server that never answers fails requests in seconds.

The figures each test measures are printed (`pytest -s` shows them)."""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Connection, func, select
from sqlalchemy.exc import OperationalError

from app.api import HubClient, HubError
from app.backend.crud import auth
from app.backend.crud.callbacks import ACTIVE
from app.backend.crud.events import publish_event
from app.backend.db import Database, migrate
from app.backend.db.engine import CONNECT_TIMEOUT
from app.backend.db.tables import (
    callbacks,
    case_messages,
    cases,
    events,
    meta,
    mutations,
    slot_usage,
    sync_changes,
)
from app.backend.event_bus import EventBus
from app.backend.main import create_app
from app.backend.push_delivery.base import Device, Outcome, PushMessage
from app.backend.push_delivery.dispatcher import CURSOR_KEY, PushDispatcher
from app.backend.settings import HubSettings, sqlite_url
from app.schemas import Customer, Event, Subscriptions
from app.store import LocalStores, open_local
from app.sync import SyncEngine
from tests.backend.events_support import EventReader
from tests.hub_process import RealHub
from tests.pg_cluster import REQUIRE_ENV, PrivateCluster, unavailable_reason
from tests.support import PROBLEM_JSON, bearer, mutation, seed_company

WRITERS = 16
ROUNDS = 3
PLACES_PER_SLOT = 3  # seed_company: one agent, three calls per 30-minute slot
KILL_AT_SHARE = 0.35  # SIGKILL once this share of all mutations is acknowledged
APP_CASES = 12
# A push error the test tolerates while the hub is down or restarting; anything else fails.
RETRYABLE = {503}
# Rejections that are right answers under this load; any other is a bug.
EXPECTED_REJECTIONS = {"slot_full", "not_found", "not_cancellable", "not_reschedulable"}


@dataclass
class Prepared:
    tokens: list[str]
    customer_ids: list[str]
    operator: str
    app_session: tuple[str, Customer]


def prepare(database_url: str, data_dir: Path, customers: int) -> Prepared:
    """Migrate and seed the hub's database, and issue sessions directly: sign-in through
    the API is rate limited per address, and every client here comes from 127.0.0.1."""
    data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(database_url)
    try:
        migrate(db)
        seed_company(db, agents=1)
        settings = HubSettings(data_dir=data_dir, database_url=database_url)
        tokens, ids = [], []
        with db.write() as conn:
            for n in range(customers + 1):
                customer = auth.ensure_customer(conn, email=f"storm{n}@example.com")
                session = auth.issue_customer_session(conn, customer=customer, settings=settings)
                tokens.append(session.token)
                ids.append(customer.id)
            operator = auth.create_operator_token(conn, scopes=sorted(auth.OPERATOR_SCOPES))
        app_customer = Customer.model_validate(session.customer.model_dump())
        return Prepared(tokens[:-1], ids[:-1], operator, (tokens[-1], app_customer))
    finally:
        db.dispose()


@dataclass
class Sent:
    """One outbox entry of a simulated client and what became of it."""

    mutation: dict[str, Any]
    attempts: int = 0
    unanswered: int = 0  # attempts that got no answer, or a 503
    result: dict[str, Any] | None = None


@dataclass
class Writer:
    """A client with an outbox: pushes it in order, a few entries per request, and sends
    an unacknowledged batch again with the same keys until the hub answers it."""

    n: int
    token: str
    outbox: list[Sent]
    statuses: Counter[int] = field(default_factory=Counter)
    in_flight: list[Sent] = field(default_factory=list)
    # Seconds between pushes: the hub allows 120 pushes a minute per customer.
    pause: tuple[float, float] = (0.0, 0.06)

    async def drain(
        self, http: httpx.AsyncClient, deadline: float, enough: threading.Event | None = None
    ) -> None:
        """Push until the outbox is empty, or until `enough` is set (what was never sent
        is then dropped from the outbox)."""
        rng = random.Random(self.n)
        done = 0
        while done < len(self.outbox):
            if enough is not None and enough.is_set():
                del self.outbox[done:]
                return
            assert time.monotonic() < deadline, f"writer {self.n} not drained in time"
            batch = self.outbox[done : done + rng.randint(1, 3)]
            for sent in batch:
                sent.attempts += 1
            self.in_flight = batch
            try:
                response = await http.post(
                    "/v1/sync/push",
                    headers=bearer(self.token),
                    json={
                        "client_id": f"writer-{self.n}",
                        "mutations": [s.mutation for s in batch],
                    },
                )
            except httpx.TransportError:
                response = None
            self.in_flight = []
            if response is None or response.status_code in RETRYABLE:
                if response is not None:
                    self.statuses[response.status_code] += 1
                for sent in batch:
                    sent.unanswered += 1
                await asyncio.sleep(0.05 + rng.random() * 0.1)
                continue
            self.statuses[response.status_code] += 1
            assert response.status_code == 200, response.text
            answered = {r["seq"]: r for r in response.json()["results"]}
            for sent in batch:
                sent.result = answered[sent.mutation["seq"]]
            done += len(batch)
            await asyncio.sleep(rng.uniform(*self.pause))


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


def check_writers(conn: Connection, writers: list[Writer], customer_ids: list[str]) -> None:
    """Every answer is final and agrees with the database; each effect exactly once."""
    for writer in writers:
        customer_id = customer_ids[writer.n]
        stored = {
            row.key: row
            for row in conn.execute(select(mutations).where(mutations.c.customer_id == customer_id))
        }
        assert len(stored) == len(writer.outbox), "one idempotency record per mutation"
        applied: dict[str, list[dict[str, Any]]] = {}
        for sent in writer.outbox:
            result = sent.result
            assert result is not None
            row = stored[sent.mutation["key"]]
            assert row.status in ("applied", "rejected"), f"left {row.status}: a partial write"
            record = json.loads(row.result)
            if result["status"] == "rejected":
                assert result["error"]["code"] in EXPECTED_REJECTIONS, result
                assert record["status"] == "rejected"
                continue
            # A retried mutation that had committed before the kill answers `duplicate`.
            assert result["status"] == "applied" or (
                result["status"] == "duplicate" and sent.unanswered
            ), (result, sent.unanswered)
            assert record["entity"]["id"] == result["entity"]["id"]
            applied.setdefault(sent.mutation["name"], []).append(sent.mutation["args"])
        applied.setdefault("case.open", [])
        applied.setdefault("case.reply", [])

        own_cases = conn.execute(select(cases).where(cases.c.customer_id == customer_id)).all()
        assert sorted(c.client_ref for c in own_cases) == sorted(
            a["client_ref"] for a in applied["case.open"]
        ), "each acknowledged case exactly once"
        replies = conn.execute(
            select(case_messages.c.client_ref, func.count())
            .join(cases, cases.c.id == case_messages.c.case_id)
            .where(cases.c.customer_id == customer_id)
            .group_by(case_messages.c.client_ref)
        ).all()
        assert sorted(r[0] for r in replies) == sorted(
            a["client_ref"] for a in applied["case.reply"]
        ), "each acknowledged reply"
        assert all(r[1] == 1 for r in replies), f"a reply stored twice: {replies}"

        own = conn.execute(select(callbacks).where(callbacks.c.customer_id == customer_id)).all()
        assert sorted(c.client_ref for c in own) == sorted(
            a["client_ref"] for a in applied.get("callback.request", [])
        ), "each acknowledged booking exactly once"
        cancelled = {a["callback"] for a in applied.get("callback.cancel", [])}
        for row in own:
            expected = "cancelled" if row.client_ref in cancelled else "scheduled"
            assert row.status == expected, (row.client_ref, row.status)


def check_no_partial_writes(conn: Connection) -> None:
    """Counters match what they count, and every change reached the feed and event log."""
    active = Counter(
        (row.queue_id, row.slot_start)
        for row in conn.execute(
            select(callbacks.c.queue_id, callbacks.c.slot_start).where(
                callbacks.c.status.in_(ACTIVE), callbacks.c.slot_start.is_not(None)
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


# --- The database unavailable for a while -------------------------------------------------


@pytest.fixture
def private_pg() -> Iterator[PrivateCluster]:
    reason = unavailable_reason()
    if reason is not None:
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(f"{reason}, but {REQUIRE_ENV} is set")
        pytest.skip(f"a private PostgreSQL cluster is needed: {reason}")
    cluster = PrivateCluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def pg_hub(tmp_path: Path, private_pg: PrivateCluster) -> Iterator[RealHub]:
    hub = RealHub(tmp_path / "hub", private_pg.url)
    try:
        yield hub
    finally:
        hub.kill()


UNAVAILABLE_WITHIN = 5.0  # seconds a request may take while the database is down
RECOVER_WITHIN = 20.0


def assert_unavailable(response: httpx.Response, seconds: float) -> None:
    assert response.status_code == 503, (response.status_code, response.text)
    assert response.headers["content-type"].startswith(PROBLEM_JSON), response.headers
    assert int(response.headers["retry-after"]) > 0
    body = response.json()
    assert body["status"] == 503 and body["type"].endswith("/unavailable"), body
    assert seconds < UNAVAILABLE_WITHIN, f"took {seconds:.1f} s to answer"


def timed(call: Any, *args: Any, **kwargs: Any) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response: httpx.Response = call(*args, **kwargs)
    return response, time.monotonic() - started


def push_one(http: httpx.Client, token: str, sent: dict[str, Any]) -> tuple[httpx.Response, float]:
    body = {"client_id": "outage", "mutations": [sent]}
    return timed(http.post, "/v1/sync/push", headers=bearer(token), json=body)


def push_cursor(url: str) -> int:
    db = Database(url)
    try:
        with db.read() as conn:
            value = conn.execute(select(meta.c.value).where(meta.c.key == CURSOR_KEY)).scalar()
            latest = conn.execute(select(func.max(events.c.seq))).scalar()
    finally:
        db.dispose()
    assert latest is not None
    return int(value) - int(latest) if value is not None else -int(latest)


def agent_reply_reaches(reader: EventReader, body: str) -> bool:
    """The stream brings, within a few seconds, the case event of this agent reply."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        data = reader.next(timeout=max(0.1, deadline - time.monotonic()))["data"]
        if [m["body"] for m in data.get("messages", [])][-1:] == [body]:
            return True
    return False


class BackgroundWriters:
    """Writers pushing case opens in a thread of their own for as long as the test runs,
    across the outage: a refused (503) or unanswered batch is sent again, same keys."""

    def __init__(self, url: str, tokens: list[str]) -> None:
        self.url = url
        self.writers = [
            Writer(n, token, [Sent(mutation("case.open", seq, subject=f"Load {n}/{seq}",
                   description="d", client_ref=f"load-{n}-{seq}")) for seq in range(1, 400)],
                   pause=(0.1, 0.15))
            for n, token in enumerate(tokens)
        ]  # fmt: skip
        self.enough = threading.Event()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._main, daemon=True)
        self._thread.start()

    def _main(self) -> None:
        async def run() -> None:
            deadline = time.monotonic() + 90
            async with httpx.AsyncClient(base_url=self.url, timeout=10) as http:
                await asyncio.gather(*(w.drain(http, deadline, self.enough) for w in self.writers))

        try:
            asyncio.run(run())
        except BaseException as error:  # handed to the test's thread by `finish`
            self.error = error

    def acked(self) -> int:
        return sum(s.result is not None for w in self.writers for s in w.outbox)

    def finish(self) -> None:
        self.enough.set()
        self._thread.join(timeout=60)
        assert not self._thread.is_alive(), "background writers did not finish"
        if self.error is not None:
            raise self.error


@pytest.mark.server
@pytest.mark.slow
@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_database_outage_answers_503_and_recovers_by_itself(
    pg_hub: RealHub, private_pg: PrivateCluster, mode: str
) -> None:
    hub = pg_hub
    prepared = prepare(private_pg.url, hub.data_dir, 4)
    token = prepared.tokens[0]
    hub.start(demo=False)
    assert hub.process is not None
    pid = hub.process.pid
    http = httpx.Client(base_url=hub.url, timeout=httpx.Timeout(UNAVAILABLE_WITHIN * 2))
    before = EventReader(hub, token)  # the fan-out is running when the database goes
    load = BackgroundWriters(hub.url, prepared.tokens[1:])
    try:
        first = mutation("case.open", 1, subject="Before", description="d", client_ref="c-1")
        answer, _ = push_one(http, token, first)
        assert answer.json()["results"][0]["status"] == "applied"
        case_id = answer.json()["results"][0]["entity"]["id"]
        assert before.next()["data"]["subject"] == "Before"
        time.sleep(1.2)  # the push dispatcher has set its cursor; the writers are busy

        acked_before = load.acked()
        private_pg.stop(mode)
        down = time.monotonic()
        during = mutation("case.open", 2, subject="During", description="d", client_ref="c-2")
        answers = 0
        while time.monotonic() - down < 3:  # the database stays away this long
            for response, seconds in (
                push_one(http, token, during),
                timed(http.get, "/v1/cases", headers=bearer(token)),
                timed(http.get, "/v1/sync/pull", headers=bearer(token)),
                timed(http.get, f"/v1/cases/{case_id}", headers=bearer(token)),
                timed(http.get, "/healthz"),
            ):
                assert_unavailable(response, seconds)
                answers += 1
        for path in ("/v1/status", "/v1/kb/articles", "/v1/callbacks/availability?queue=help"):
            response, seconds = timed(http.get, path)  # public reads may come from a cache
            if response.status_code != 200:
                assert_unavailable(response, seconds)

        private_pg.start()
        back = time.monotonic()
        while True:  # the client retries the refused mutation with the same key
            response, _ = push_one(http, token, during)
            if response.status_code == 200:
                break
            assert_unavailable(response, 0)
            assert time.monotonic() - back < RECOVER_WITHIN, "the hub did not recover"
            time.sleep(0.1)
        recovered = time.monotonic() - back
        assert response.json()["results"][0]["status"] == "applied"
        again, _ = push_one(http, token, during)
        assert again.json()["results"][0]["status"] == "duplicate"
        assert http.get("/healthz").status_code == 200
        assert hub.process.poll() is None and hub.process.pid == pid, "no restart"
        listed = http.get("/v1/cases", headers=bearer(token)).json()["items"]
        assert sorted(c["subject"] for c in listed) == ["Before", "During"]
        time.sleep(1)  # the writers get some of their retries and new writes in
        load.finish()

        # The fan-out and the push dispatcher outlived the outage: an agent's reply after
        # it reaches the stream opened before it and one opened after it, and the
        # dispatcher claims its event.
        after = EventReader(hub, token)
        reply = http.post(
            f"/v1/admin/cases/{case_id}/replies",
            headers=bearer(prepared.operator),
            json={"body": "We rebooked you"},
        )
        assert reply.status_code == 200, reply.text
        assert agent_reply_reaches(after, "We rebooked you")
        assert agent_reply_reaches(before, "We rebooked you")
        deadline = time.monotonic() + 5
        while push_cursor(private_pg.url) < 0:
            assert time.monotonic() < deadline, "the push dispatcher stopped claiming events"
            time.sleep(0.2)
        after.close()
    finally:
        load.enough.set()
        before.close()
        http.close()
        hub.stop()

    statuses = sum((w.statuses for w in load.writers), Counter[int]())
    assert set(statuses) == {200, 503}, f"the writers met the outage and nothing else: {statuses}"
    retried = [s for w in load.writers for s in w.outbox if s.unanswered]
    assert retried, "some writes were refused and sent again"
    db = Database(private_pg.url)
    try:
        with db.read() as conn:
            check_writers(conn, load.writers, prepared.customer_ids[1:])
    finally:
        db.dispose()
    print(
        f"\n[faults] PostgreSQL stopped ({mode}) for {back - down:.1f} s: {answers} probes, "
        f"all 503 + Retry-After within {UNAVAILABLE_WITHIN:.0f} s; recovered "
        f"{recovered:.2f} s after the server was back; writers: {acked_before} acknowledged "
        f"before the stop, {load.acked()} in all, {len(retried)} retried, HTTP {dict(statuses)}"
    )


# --- What the hub does while its database is away, in process (quick) ---------------------


def database_down(*_args: Any, **_kwargs: Any) -> Any:
    raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))


def tracebacks(caplog: pytest.LogCaptureFixture, logger: str) -> int:
    return sum(1 for r in caplog.records if r.name == logger and r.exc_info)


async def test_the_event_tail_retries_a_lost_log_at_its_own_pace_and_carries_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Every write request wakes the tail; while the database is away those wakes must not
    each cost a connection attempt and a traceback in the log."""
    db = Database(sqlite_url(tmp_path))
    migrate(db)
    bus = EventBus(db, poll_seconds=0.05)
    await bus.start()
    reads = 0
    working = bus._read

    def failing(after: int) -> list[Event]:
        nonlocal reads
        reads += 1
        return database_down()  # type: ignore[no-any-return]

    try:
        monkeypatch.setattr(bus, "_read", failing)
        for _ in range(50):  # a second of write requests, each waking the tail
            bus.wake()
            await asyncio.sleep(0.02)
        assert 1 <= reads <= 6, f"{reads} reads of the log in 1 s of outage"
        assert tracebacks(caplog, "careline.events") == 1
        monkeypatch.setattr(bus, "_read", working)
        stream = bus.open("cus_1", Subscriptions())
        with db.write() as conn:
            publish_event(conn, kind="case", entity_id="case_1", version=1, data={},
                          customer_id="cus_1")  # fmt: skip
        bus.wake()
        event = await asyncio.wait_for(stream.queue.get(), 5)
        assert event.entity_id == "case_1"
        assert any("works again" in r.getMessage() for r in caplog.records)
    finally:
        await bus.stop()
        db.dispose()


class NoPushService:
    """A push adapter for a hub with no devices: never asked to send."""

    platform = "webpush"

    async def send(self, device: Device, message: PushMessage) -> Outcome:
        raise AssertionError("nothing to push to")


async def test_the_push_dispatcher_survives_a_lost_database_quietly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    db = Database(sqlite_url(tmp_path))
    migrate(db)
    dispatcher = PushDispatcher(db, {"webpush": NoPushService()}, poll_seconds=0.02)
    working = dispatcher._claim
    monkeypatch.setattr(dispatcher, "_claim", database_down)
    dispatcher.start()
    try:
        await asyncio.sleep(0.4)  # some 20 rounds, all failing
        assert tracebacks(caplog, "careline.push") == 1
        monkeypatch.setattr(dispatcher, "_claim", working)
        cursor = None
        deadline = time.monotonic() + 10
        while cursor is None and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            with db.read() as conn:
                query = select(meta.c.value).where(meta.c.key == CURSOR_KEY)
                cursor = conn.execute(query).scalar()
        assert cursor is not None, "it claims again once the database is back"
        assert any("work again" in r.getMessage() for r in caplog.records)
    finally:
        await dispatcher.stop()
        db.dispose()


async def test_requests_get_503_and_the_log_a_line_not_a_flood(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    db = Database(sqlite_url(tmp_path))
    api = create_app(HubSettings(data_dir=tmp_path, database_url=db.url), database=db)
    monkeypatch.setattr(db, "read", database_down)
    monkeypatch.setattr(db, "write", database_down)
    transport = httpx.ASGITransport(app=api)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as http:
            for path in ["/healthz", "/v1/kb/articles", "/v1/cases"] * 20:
                started = time.monotonic()
                response = await http.get(path, headers=bearer("clc_whatever"))
                assert_unavailable(response, time.monotonic() - started)
    finally:
        db.dispose()
    lines = [r for r in caplog.records if "database unavailable" in r.getMessage()]
    assert len(lines) == 1, [r.getMessage() for r in lines]


def test_a_database_that_never_answers_fails_the_request_within_seconds() -> None:
    """A server that takes the TCP connection and says nothing (frozen, or behind a network
    path that drops packets): opening a connection fails (503) instead of hanging."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)  # the kernel completes handshakes; nobody ever answers them
        db = Database(f"postgresql://postgres@127.0.0.1:{silent.getsockname()[1]}/careline")
        failures: list[BaseException] = []

        def query() -> None:
            try:
                with db.read() as conn:
                    conn.exec_driver_sql("SELECT 1")
            except BaseException as error:  # handed to the test below
                failures.append(error)

        started = time.monotonic()
        worker = threading.Thread(target=query, daemon=True)
        worker.start()
        worker.join(15)
        assert not worker.is_alive(), "still waiting for the database after 15 s"
        assert time.monotonic() - started < 2 * CONNECT_TIMEOUT
        assert len(failures) == 1 and isinstance(failures[0], OperationalError), failures
        db.dispose()
