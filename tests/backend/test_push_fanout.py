"""Hub processes share one event's pushes on PostgreSQL (real hub processes, the
stand-in push service of tests/push_service.py, as no push service can be reached from
here): split about evenly, each device pushed exactly once; a hub SIGKILLed mid-fan-out
leaves its batches to the other once their leases run out; the hub's database
connections ended mid-fan-out, delivery goes on by itself; a push service answering 429
is paused alone, the other goes on.

A hub is killed while the push service has not yet answered any of its pushes: a push
the service answered whose record the dead hub had not written is the one case that may
go out twice (app/backend/push_delivery/fanout.py), so the test waits for the records
to catch up with the answers before it kills."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.backend.db import Database
from tests.backend.fanout_support import (
    PER_HOST,
    all_done,
    batch_senders,
    held_by,
    recorded,
    register_devices,
    senders,
    start_hubs,
    terminate,
)
from tests.backend.webpush_support import publish
from tests.hub_process import RealHub
from tests.push_service import HOST, PushService
from tests.support import until

BUSY = "busy.careline.test"


@pytest.fixture
def pg(database_url: str) -> tuple[str, str]:
    """A fresh PostgreSQL schema's URL for the hubs, whose connections carry their own
    application name (so a test ends only its hubs' connections), and that name."""
    if database_url.startswith("sqlite"):
        pytest.skip("hub processes share a fan-out on PostgreSQL")
    name = f"careline-fanout-{secrets.token_hex(4)}"
    return f"{database_url}&application_name={name}", name


@pytest.fixture
def service(tmp_path: Path) -> Iterator[PushService]:
    stand_in = PushService(tmp_path / "push", names=(BUSY,))
    yield stand_in
    stand_in.release()
    stand_in.close()


@pytest.fixture
def db(pg: tuple[str, str], database_url: str) -> Iterator[Database]:
    """The test's own connections, without the hubs' application name."""
    database = Database(database_url)
    yield database
    database.dispose()


def stop(hubs: list[RealHub]) -> None:
    for hub in hubs:
        hub.kill()


def each_once(service: PushService, count: int) -> bool:
    counts = service.counts()
    return len(counts) == count


def test_two_hubs_split_a_storm_each_device_once(
    tmp_path: Path, pg: tuple[str, str], db: Database, service: PushService
) -> None:
    hubs = start_hubs(tmp_path, pg[0], service, 2)
    try:
        register_devices(db, service, 300)
        service.hold()  # both hubs get going before either answers
        publish(db, "Storm at ORD")
        until(lambda: service.held == 2 * PER_HOST, "both hubs sending")
        service.release()
        until(lambda: all_done(db) and each_once(service, 300), "every push out")
    finally:
        stop(hubs)
    counts = service.counts()
    assert len(counts) == 300 and set(counts.values()) == {1}, "none lost, none doubled"
    shares = senders(db)
    assert sum(shares.values()) == 300 and len(shares) == 2
    assert min(shares.values()) >= 300 * 0.3, f"split about evenly: {shares}"
    print(f"\n[fanout] 300 pushes split {sorted(shares.values())} between two hubs")


def test_a_hub_killed_mid_fan_out_leaves_its_batches_to_the_other(
    tmp_path: Path, pg: tuple[str, str], db: Database, service: PushService
) -> None:
    service.delay = 0.02
    hubs = start_hubs(tmp_path, pg[0], service, 2)
    try:
        register_devices(db, service, 200)
        publish(db, "Storm at ORD")
        until(lambda: len(service.received) >= 50, "the fan-out under way")
        service.hold()
        until(lambda: service.held == 2 * PER_HOST, "both hubs waiting for answers")
        until(lambda: recorded(db) == len(service.received), "the answers recorded")
        victim, survivor = hubs
        assert victim.process is not None
        orphaned = held_by(db, victim.process.pid)
        assert orphaned, "the hub killed held batches"
        pid = victim.process.pid
        victim.kill()
        service.release()
        until(lambda: all_done(db) and each_once(service, 200), "every push out")
        assert survivor.process is not None and survivor.process.poll() is None
    finally:
        stop(hubs)
    counts = service.counts()
    assert len(counts) == 200 and set(counts.values()) == {1}, "none lost, none doubled"
    assert len(service.received) == 200
    taken_over = batch_senders(db, orphaned) - {by for by in senders(db) if f":{pid}:" in by}
    assert taken_over, "the other hub sent what was left of the killed hub's batches"


def test_connections_ended_mid_fan_out_delivery_resumes(
    tmp_path: Path, pg: tuple[str, str], db: Database, service: PushService
) -> None:
    service.delay = 0.05
    [hub] = start_hubs(tmp_path, pg[0], service, 1)
    try:
        register_devices(db, service, 120)
        publish(db, "Storm at ORD")
        until(lambda: len(service.received) >= 20, "the fan-out under way")
        assert terminate(pg[1]) >= 1
        until(lambda: len(service.received) >= 60, "the fan-out going on")
        assert terminate(pg[1]) >= 1
        until(lambda: all_done(db) and each_once(service, 120), "every push out")
        assert hub.process is not None and hub.process.poll() is None, "no restart"
    finally:
        stop([hub])
    counts = service.counts()
    assert len(counts) == 120 and set(counts.values()) == {1}, "none lost, none doubled"


def test_a_service_answering_429_is_paused_alone(
    tmp_path: Path, pg: tuple[str, str], db: Database, service: PushService
) -> None:
    service.throttle(BUSY, 8)
    [hub] = start_hubs(tmp_path, pg[0], service, 1)
    try:
        register_devices(db, service, 40, BUSY)
        register_devices(db, service, 40, HOST)
        publish(db, "Storm at ORD")
        until(lambda: all_done(db) and each_once(service, 80), "every push out")
    finally:
        stop([hub])
    counts = service.counts()
    assert len(counts) == 80 and set(counts.values()) == {1}, "none lost, none doubled"
    healthy = [d.at for d in service.received if d.host == HOST]
    busy = [d.at for d in service.received if d.host == BUSY]
    assert max(healthy) < min(busy), "the healthy service's pushes went on meanwhile"
    # Only the pushes under way when the first 429 came back (and one round after a
    # Retry-After rounded down) met one: the rest waited for the pause.
    assert len(service.refused) <= 3 * PER_HOST < 40, len(service.refused)
    assert {d.host for d in service.refused} == {BUSY}
