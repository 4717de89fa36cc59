"""Search gaps through the sync: the engine sends the device's counts at most every so
often, keeps a batch through failures, and the hub sums it once, even when its answer is
lost and it is sent again. (Counting on the Help screen: tests/state/test_help_gaps.py.)"""

from __future__ import annotations

import httpx

from app.sync import SyncEngine
from tests.sync.support import Rig, hub_gaps


class GapsFault(httpx.AsyncBaseTransport):
    """The next search gaps request meets `fault`: 'drop_after' (the hub takes it, its
    answer is lost) or a status the hub answers with instead (nothing counted)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, fault: str) -> None:
        self.inner = inner
        self.fault: str | None = fault

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        fault = self.fault if request.url.path == "/v1/search-gaps" else None
        if fault is None:
            return await self.inner.handle_async_request(request)
        self.fault = None
        if fault != "drop_after":
            return httpx.Response(int(fault), json={"title": "No", "status": int(fault)})
        response = await self.inner.handle_async_request(request)
        await response.aread()
        raise httpx.ReadError("connection reset", request=request)


async def sync_meeting(rig: Rig, engine: SyncEngine, fault: str) -> None:
    inner = rig.transport.inner
    rig.transport.inner = GapsFault(inner, fault)
    try:
        await engine.sync()  # the sync itself goes through: only the gaps wait
    finally:
        rig.transport.inner = inner


async def test_a_batch_whose_answer_was_lost_is_counted_once(rig: Rig) -> None:
    engine = SyncEngine(rig.client, public=rig.public, gaps_every=0)
    for _ in range(3):
        rig.public.gaps.note("snow chains", "en")
    await engine.sync()
    assert hub_gaps(rig) == [("snow chains", "en", 3)]

    rig.public.gaps.note("snow chains", "en")
    rig.public.gaps.note("dog crate", "en")
    await sync_meeting(rig, engine, "drop_after")
    assert hub_gaps(rig) == [("snow chains", "en", 4), ("dog crate", "en", 1)]
    [unanswered] = rig.public.gaps.outgoing()

    rig.public.gaps.note("dog crate", "en")  # waits for the next batch
    await engine.sync()  # the same batch again, which the hub knows; then the next one
    await engine.sync()
    assert hub_gaps(rig) == [("snow chains", "en", 4), ("dog crate", "en", 2)]
    assert rig.public.gaps.outgoing() == [] and rig.public.gaps.counted() == {}
    assert unanswered.counts == {"snow chains": 1, "dog crate": 1}


async def test_counts_wait_out_failures_and_go_at_most_every_so_often(rig: Rig) -> None:
    engine = SyncEngine(rig.client, public=rig.public, gaps_every=3600)
    rig.public.gaps.note("lounge", "en")
    await sync_meeting(rig, engine, "500")
    assert hub_gaps(rig) == []
    [kept] = rig.public.gaps.outgoing()
    await engine.sync()  # not due yet: nothing sent
    assert hub_gaps(rig) == []
    engine.gaps_every = 0
    await engine.sync()
    assert hub_gaps(rig) == [("lounge", "en", 1)]
    assert rig.public.gaps.outgoing() == []
    # A batch the hub refuses for good is dropped, not sent forever.
    rig.public.gaps.note("lounge", "en")
    await sync_meeting(rig, engine, "422")
    assert rig.public.gaps.outgoing() == [] and hub_gaps(rig) == [("lounge", "en", 1)]
    assert kept.counts == {"lounge": 1}
