"""When syncs happen and what the status says: debounced pokes, retries with backoff that
honour Retry-After, offline/online, pending and failed counts."""

from __future__ import annotations

import asyncio
import random

from app.schemas import CallbackMode
from app.sync import Backoff, SyncScheduler, SyncStatus
from tests.sync.support import Rig


def test_backoff_is_full_jitter_capped_and_honours_retry_after() -> None:
    backoff = Backoff(base=1, cap=8, rng=random.Random(1))
    delays = [backoff.next_delay() for _ in range(8)]
    ceilings = [1, 2, 4, 8, 8, 8, 8, 8]
    assert all(0 <= d <= c for d, c in zip(delays, ceilings, strict=True))
    assert len(set(delays)) == len(delays), "jittered"
    assert backoff.next_delay(retry_after=30) >= 30
    backoff.reset()
    assert backoff.next_delay() <= 1


async def test_status_follows_offline_retry_and_recovery(rig: Rig) -> None:
    rig.sign_in()
    slept: list[float] = []
    seen: list[SyncStatus] = []

    async def fake_sleep(delay: float) -> None:
        slept.append(delay)
        if len(slept) == 2:
            rig.transport.down = False
        await asyncio.sleep(0)

    scheduler = SyncScheduler(
        rig.engine,
        interval=3600,
        debounce=0.01,
        backoff=Backoff(base=0.5, cap=2, rng=random.Random(3)),
        sleep=fake_sleep,
    )
    scheduler.listeners.add(seen.append)
    rig.personal.cases.open(subject="Queued", description="offline", category="general")
    rig.transport.down = True
    scheduler.start()
    for _ in range(200):
        await asyncio.sleep(0.01)
        if scheduler.status.online and not scheduler.status.syncing:
            break
    await scheduler.stop()
    assert len(slept) == 2, "two failed tries, then success"
    assert any(s.online is False and s.pending == 1 for s in seen)
    assert scheduler.status.online is True
    assert scheduler.status.pending == 0
    assert scheduler.status.last_synced is not None
    assert scheduler.status.last_error is None


async def test_retry_waits_at_least_retry_after(rig: Rig) -> None:
    slept: list[float] = []

    async def fake_sleep(delay: float) -> None:
        slept.append(delay)

    rig.transport.plan = ["503"]
    scheduler = SyncScheduler(
        rig.engine,
        interval=3600,
        debounce=0.01,
        backoff=Backoff(base=0.1, cap=0.2),
        sleep=fake_sleep,
    )
    scheduler.start()
    for _ in range(200):
        await asyncio.sleep(0.01)
        if scheduler.status.online and scheduler.last_report is not None:
            break
    await scheduler.stop()
    assert slept and slept[0] >= 7


async def test_pokes_are_debounced_into_one_sync(rig: Rig) -> None:
    rig.sign_in()
    scheduler = SyncScheduler(rig.engine, interval=3600, debounce=0.05)
    scheduler.start()
    await asyncio.sleep(0.3)
    rig.transport.requests.clear()
    for _ in range(5):
        rig.personal.account.give_feedback("en:lost-bag", True)
        scheduler.poke()
    await asyncio.sleep(0.4)
    await scheduler.stop()
    # Votes go by the hub's vote endpoint, the newest per article only.
    sent = {"POST /v1/sync/push", "POST /v1/kb/feedback"}
    pushes = [r for r in rig.transport.requests if r in sent]
    assert len(pushes) == 1


async def test_sync_now_reports_and_counts_failed_items(rig: Rig) -> None:
    rig.sign_in()
    rig.personal.callbacks.request(queue_id="nowhere", mode=CallbackMode.asap, phone="+13125550123")
    scheduler = SyncScheduler(rig.engine)
    report = await scheduler.sync_now()
    assert report is not None and report.rejected == 1
    assert (scheduler.status.pending, scheduler.status.failed) == (0, 1)
    rig.transport.down = True
    assert await scheduler.sync_now() is None
    assert scheduler.status.online is False
