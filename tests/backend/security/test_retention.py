"""Retention on a real hub: uploads never attached to a case, old idempotency records and
old events are pruned (by `python -m app.backend prune` and by the hub on its own), and a
stream resuming from a pruned event gets a resync instead of a silent gap."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import insert, text

from app.backend.crud.retention import event_floor, prune_events, raise_event_floor
from app.backend.db import Database, migrate
from app.backend.db.tables import attachments, devices, events, mutations
from app.backend.util import dumps, format_time, now
from tests.backend.security.quota_support import age, count, hub_db, push, session, started
from tests.hub_process import RealHub
from tests.support import mutation

pytestmark = pytest.mark.server


@pytest.fixture
def live_hub(tmp_path: Path, database_url: str) -> Iterator[RealHub]:
    hub = started(tmp_path / "hub", database_url)
    yield hub
    hub.stop()


def upload(hub: RealHub, headers: dict[str, str], name: str) -> str:
    answer = httpx.post(
        f"{hub.url}/v1/attachments",
        headers=headers,
        files={"file": (f"{name}.txt", b"some text", "text/plain")},
    )
    assert answer.status_code == 201, answer.text
    attachment_id: str = answer.json()["id"]
    return attachment_id


def fetched(hub: RealHub, headers: dict[str, str], attachment_id: str) -> int:
    return httpx.get(f"{hub.url}/v1/attachments/{attachment_id}", headers=headers).status_code


def test_prune_removes_old_unattached_uploads_and_keeps_the_rest(live_hub: RealHub) -> None:
    hub = live_hub
    headers = session(hub, "uploads@example.com")
    stale, attached, fresh = (upload(hub, headers, name) for name in ("a", "b", "c"))
    opened = push(
        hub,
        headers,
        mutation("case.open", subject="Receipt", description="Attached", attachments=[attached]),
    )
    assert opened.json()["results"][0]["status"] == "applied", opened.text
    age(hub, attachments, 2, attachments.c.id.in_([stale, attached]))
    # A device stored before today's limits: a platform without an adapter, a 900 kB key.
    with hub_db(hub) as conn:
        stamp = format_time(now())
        conn.execute(
            insert(devices).values(
                id="dev_old",
                customer_id="cus_old",
                platform="ntfy",
                endpoint="https://ntfy.sh/x",
                keys=dumps({"token": "A" * 900_000}),
                created_at=stamp,
                updated_at=stamp,
            )
        )

    printed = hub.cli("prune")

    assert "Removed 1 unattached uploads" in printed
    assert count(hub, attachments, attachments.c.id == stale) == 0
    assert fetched(hub, headers, stale) == 404
    assert fetched(hub, headers, attached) == 200
    assert fetched(hub, headers, fresh) == 200
    assert count(hub, devices) == 0


def test_the_hub_prunes_on_its_own(tmp_path: Path, database_url: str) -> None:
    hub = started(tmp_path / "hub", database_url, CARELINE_PRUNE_EVERY_SECONDS="0.5")
    try:
        headers = session(hub, "left@example.com")
        left = upload(hub, headers, "left")
        age(hub, attachments, 2, attachments.c.id == left)
        deadline = time.monotonic() + 15
        while count(hub, attachments, attachments.c.id == left) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert count(hub, attachments, attachments.c.id == left) == 0
    finally:
        hub.stop()


def first_event(hub: RealHub, last_event_id: int, then: list[str] | None = None) -> dict[str, str]:
    """The first event (its SSE fields) of a public stream resumed after `last_event_id`;
    `then` is an operator command run once the stream is open."""
    timeout = httpx.Timeout(10, read=20)
    with (
        httpx.Client(base_url=hub.url, timeout=timeout) as http,
        http.stream(
            "GET", "/v1/events/public", headers={"Last-Event-ID": str(last_event_id)}
        ) as stream,
    ):
        assert stream.status_code == 200
        if then:
            hub.cli(*then)
        fields: dict[str, str] = {}
        for line in stream.iter_lines():
            if not line:
                if "event" in fields:
                    return fields
                fields = {}
            elif not line.startswith(":"):
                name, _, value = line.partition(": ")
                fields[name] = value
    raise AssertionError("the stream ended without an event")


def test_old_keys_and_events_are_pruned_and_a_stream_from_before_resyncs(
    live_hub: RealHub,
) -> None:
    hub = live_hub
    headers = session(hub, "history@example.com")
    pushed = push(hub, headers, mutation("case.open", subject="Old", description="Long ago"))
    assert pushed.json()["results"][0]["status"] == "applied"
    age(hub, mutations, 40)
    age(hub, events, 40)
    with hub_db(hub) as conn:
        seqs = [row.seq for row in conn.execute(events.select().order_by(events.c.seq))]
    assert len(seqs) >= 2, "the demo company and the case made events"
    latest = seqs[-1]

    printed = hub.cli("prune")

    assert f"{len(seqs) - 1} events" in printed
    assert count(hub, mutations) == 0
    assert count(hub, events) == 1  # the latest stays: new streams start from its id
    # Resuming from a pruned event: a resync, then the stream goes on from the latest.
    resumed = first_event(hub, seqs[0])
    assert resumed["event"] == "resync"
    assert resumed["id"] == str(latest)
    # Resuming from the latest misses nothing and needs no resync.
    publish = ["incident", "publish", "--title", "New", "--impact", "minor"]
    assert first_event(hub, latest, then=publish)["event"] == "incident"


@pytest.fixture
def event_db(database_url: str) -> Iterator[Database]:
    """A migrated database holding events 1-3 made 60 days ago, 4-8 made 40 days ago
    and 9-10 made now."""
    db = Database(database_url)
    migrate(db)
    ages = {seq: 60 if seq <= 3 else 40 if seq <= 8 else 0 for seq in range(1, 11)}
    with db.write() as conn:
        conn.execute(
            insert(events),
            [
                {
                    "seq": seq,
                    "kind": "incident",
                    "entity_id": f"inc_{seq}",
                    "version": 1,
                    "data": "{}",
                    "created_at": format_time(now() - timedelta(days=days)),
                }
                for seq, days in ages.items()
            ],
        )
    yield db
    db.dispose()


def days_ago(days: int) -> str:
    return format_time(now() - timedelta(days=days))


def test_the_event_floor_never_goes_back(event_db: Database) -> None:
    with event_db.write() as conn:
        raise_event_floor(conn, 8)
        raise_event_floor(conn, 3)  # a prune that read the floor before the other's commit
        assert event_floor(conn) == 8
        raise_event_floor(conn, 9)
        assert event_floor(conn) == 9


def test_two_processes_pruning_at_once_keep_the_higher_floor(
    event_db: Database, database_url: str
) -> None:
    """A prune to event 8 holds its transaction open while one to event 3 (an older cut)
    reads the floor and waits to write it: once both commit, the floor says 8, so a
    stream resuming from event 5 (gone) resyncs instead of skipping events 4-8."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite lets one writer in at a time: the two prunes cannot overlap")
    waiting: list[int] = []

    def lower_prune() -> None:
        with event_db.write() as conn:
            waiting.append(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())
            prune_events(conn, before=days_ago(50))

    with event_db.write() as conn:
        assert prune_events(conn, before=days_ago(30)) == (8, False)
        other = threading.Thread(target=lower_prune)
        other.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # until the other prune waits for our row lock
            with event_db.read() as look:
                state = look.execute(
                    text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"),
                    {"pid": waiting[0] if waiting else 0},
                ).scalar()
            if state == "Lock":
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the second prune never waited for the first")
    other.join(10)

    with event_db.read() as conn:
        remaining = [row.seq for row in conn.execute(events.select().order_by(events.c.seq))]
        floor = event_floor(conn)
    assert remaining == [9, 10]
    assert floor == 8  # 3 would let a stream resuming from 5 skip 6-8 unseen
