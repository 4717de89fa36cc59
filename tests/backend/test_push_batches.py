"""The database side of sharing a fan-out (`push_delivery.batches`), on SQLite and
PostgreSQL: each batch held by one claimer at a time, taken over once its lease ran out
with only the pushes not recorded, a record written twice kept once, the old holder's
renewal refused; and a push service's pause (`backoff`) its own."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.backend.crud import retention
from app.backend.db import Database
from app.backend.db.migrations import migrate
from app.backend.db.tables import push_batches, push_sent
from app.backend.push_delivery import batches
from app.backend.push_delivery.backoff import HostBackoff
from app.backend.push_delivery.base import Device, PushMessage
from app.backend.push_delivery.fanout import Fanout
from app.backend.settings import PushLimits
from app.backend.util import format_time, now

MESSAGE = PushMessage("Storm", "Now.", "/status", "incident", "inc_1", 1, 60, "inc-1")


@pytest.fixture
def store(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    migrate(db)
    yield db
    db.dispose()


def pushes(count: int) -> list[tuple[Device, PushMessage]]:
    return [
        (Device(f"d{n}", f"c{n}", "webpush", f"https://push.example/{n}", {"auth": "x"}), MESSAGE)
        for n in range(count)
    ]


def sent(claimed: batches.Claimed, count: int, by: str) -> list[batches.Sent]:
    return [
        batches.Sent(claimed.id, claimed.event_seq, d.id, "delivered", by)
        for d, _ in claimed.pushes[:count]
    ]


def test_a_batch_is_held_by_one_claimer_and_taken_over_after_its_lease(store: Database) -> None:
    with store.write() as conn:
        assert batches.split(conn, 7, pushes(25), size=10) == 3
    with store.write() as conn:
        first = batches.claim(conn, me="a", lease=60, limit=2)
    with store.write() as conn:
        second = batches.claim(conn, me="b", lease=60, limit=5)
        assert batches.claim(conn, me="b", lease=60, limit=5) == [], "all held"
    assert [len(c.pushes) for c in first] == [10, 10] and [len(c.pushes) for c in second] == [5]
    assert first[0].pushes[0] == pushes(1)[0], "the device and its push as split"

    # "a" records four pushes of its first batch and dies; its leases run out.
    with store.write() as conn:
        batches.record(conn, sent(first[0], 4, "a"))
        past = format_time(now() - timedelta(seconds=1))
        conn.execute(
            update(push_batches).where(push_batches.c.claimed_by == "a").values(lease_until=past)
        )
    with store.write() as conn:
        taken = batches.claim(conn, me="b", lease=60, limit=5)
        assert batches.renew(conn, me="a", ids=[c.id for c in first], lease=60) == set()
        assert batches.renew(conn, me="b", ids=[c.id for c in taken], lease=60) == {
            c.id for c in first
        }
    assert sorted(len(c.pushes) for c in taken) == [6, 10], "only the pushes not recorded"

    # A late record of "a" for a push "b" recorded too stays as first written.
    with store.write() as conn:
        batches.record(conn, sent(first[0], 5, "b"))
        batches.record(conn, sent(first[0], 6, "a"))
        query = select(push_sent.c.sent_by, func.count()).group_by(push_sent.c.sent_by)
        assert {row[0]: row[1] for row in conn.execute(query)} == {"a": 5, "b": 1}
        assert batches.outcomes(conn, 7)["d0"] == "delivered"


def test_a_batch_all_recorded_is_finished_when_claimed_and_pruned_later(
    store: Database,
) -> None:
    with store.write() as conn:
        batches.split(conn, 8, pushes(3), size=10)
        [claimed] = batches.claim(conn, me="a", lease=60, limit=1)
        batches.record(conn, sent(claimed, 3, "a"))
        batches.release(conn, me="a", ids=[claimed.id])
    with store.write() as conn:
        assert batches.claim(conn, me="b", lease=60, limit=1) == []
        finished = conn.execute(select(push_batches)).one()
    assert finished.done_at is not None
    assert (finished.devices, finished.messages) == ("[]", "{}"), "addresses and words forgotten"
    later = format_time(now() + timedelta(days=1))
    with store.write() as conn:
        assert retention.prune_pushes(conn, before=later) == (4, False), "3 pushes, 1 batch"
        assert retention.prune_pushes(conn, before=later) == (0, False)


async def test_a_push_service_pause_is_its_own() -> None:
    backoff = HostBackoff(base=0.01)
    backoff.slow("busy.example", 30.0)
    assert 29 < backoff.paused("busy.example") <= 30, "Retry-After honoured"
    assert backoff.paused("push.example") == 0
    await backoff.ready("push.example")  # at once
    backoff.slow("busy.example", None)  # an answer to a push sent before the pause
    assert backoff.paused("busy.example") > 29, "never shortened"


async def test_a_hub_whose_lease_runs_short_stops_sending_but_records_what_it_sent(
    store: Database,
) -> None:
    fanout = Fanout(store, PushLimits(lease_seconds=1, batch_size=10), longest_send=0.3)
    assert fanout.lease == 1.5 * (0.3 + 2), "a lease outlasts the longest send"
    with store.write() as conn:
        batches.split(conn, 9, pushes(5), size=10)
    [(held, claimed)] = await fanout.claim(5)
    assert fanout.may_send(held)
    fanout.answered(held, claimed[0][0], "delivered")
    held.until = time.monotonic() + 1  # no renewal came: less left than a send and slack
    assert not fanout.may_send(held) and not fanout.held, "left to any hub"
    assert await fanout.write_answers()
    with store.read() as conn:
        assert batches.outcomes(conn, 9) == {"d0": "delivered"}, "its answer still recorded"
        assert conn.execute(select(push_batches.c.done_at)).scalar_one() is None
