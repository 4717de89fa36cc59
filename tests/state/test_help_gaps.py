"""Search gaps from the Help screen to the hub: its state counts a search that found
nothing once the customer stops typing, and the sync sends only the counts, without the
customer's token."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from app.backend.db.tables import search_gaps
from app.state import help as help_module
from app.state.help import HelpState
from app.state.runtime import DeviceRuntime
from tests.sync.support import Rig, hub_gaps


class Recorder(httpx.AsyncBaseTransport):
    """Keeps the headers of every request to the search gaps endpoint."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.sent: list[httpx.Headers] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/search-gaps":
            self.sent.append(request.headers)
        return await self.inner.handle_async_request(request)


async def test_settled_searches_without_results_reach_the_hub_without_the_customer(
    rig: Rig, runtime: DeviceRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(help_module, "GAP_SETTLE", 0)
    recorder = Recorder(rig.transport.inner)
    rig.transport.inner = recorder
    customer_id = rig.sign_in()
    await runtime.engine.sync()
    help_ = HelpState(runtime)
    # Typed one key at a time: only where the customer stopped counts.
    for typed in ("z", "zz", "zzq", "zzqx pets"):
        await help_.search(typed)
    assert help_.gap_counting is not None
    await help_.gap_counting
    await help_.search("bag")  # found something: not a gap
    await help_.search("mail alice@example.com")  # private: not kept
    await help_.gap_counting
    await help_.search("zzqx pets")
    await help_.gap_counting
    assert rig.public.gaps.counted() == {("zzqx pets", "en"): 2}

    await runtime.engine.sync()
    assert hub_gaps(rig) == [], "the first sync tried a moment ago: not due yet"
    runtime.engine.gaps_every = 0
    await runtime.engine.sync()
    assert hub_gaps(rig) == [("zzqx pets", "en", 2)]
    assert rig.public.gaps.counted() == {} and rig.public.gaps.outgoing() == []
    [headers] = recorder.sent
    assert "authorization" not in headers
    assert len(headers["idempotency-key"]) >= 8
    with rig.db.read() as conn:
        assert customer_id not in repr(conn.execute(select(search_gaps)).all())
