"""Silent push targets, in process: however many host names an attacker's devices point
at, a push service that answers is not held up behind them. (The push services are
httpx mocks; tests/backend/security/test_push_targets.py does the same against a real
hub process with one silent host.)"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from app.backend.db import Database
from app.backend.push_delivery import PushDispatcher
from app.backend.push_delivery.webpush import WebPushAdapter, load_vapid
from app.backend.settings import PushLimits
from tests.backend.webpush_support import Browser, publish, register


async def test_silent_hosts_under_many_names_do_not_hold_up_one_that_answers(
    db: Database, tmp_path: Path
) -> None:
    browser = Browser("https://push.example/ok")
    register(db, "ok@example.com", "webpush", browser.endpoint, browser.keys())
    silent_sends = 0
    third = asyncio.Event()

    async def handle(request: httpx.Request) -> httpx.Response:
        nonlocal silent_sends
        if request.url.host != "push.example":
            silent_sends += 1
            await asyncio.sleep(3600)  # never answers; the dispatcher cuts it short
        browser.take(request)
        if len(browser.received) == 3:
            third.set()
        return httpx.Response(201)

    client = httpx.AsyncClient(transport=httpx.MockTransport(handle))
    adapter = WebPushAdapter(load_vapid(tmp_path), client, contact="mailto:ops@example.com")
    # Each silent send is cut short after 10 s: delivery queued behind them would take that
    # long, which the bound below tells apart from a free lane even on a loaded machine.
    limits = PushLimits(concurrency=8, per_host=2, timeout_seconds=10)
    push = PushDispatcher(db, {"webpush": adapter}, retry_base=0.01, limits=limits)
    await push.push_new()
    publish(db, "Snow at ORD")
    await push.push_new()  # the push service has answered once
    for n in range(40):
        endpoint = f"https://silent{n}.example/push"
        register(db, f"silent{n}@example.com", "webpush", endpoint, browser.keys())
    try:
        publish(db, "Fog at BOS")  # the silent hosts take every slot they can get
        await push.queue_new()
        await asyncio.sleep(0.5)
        publish(db, "Ice at DEN")
        started = time.monotonic()
        await push.queue_new()
        await asyncio.wait_for(third.wait(), 30)
        waited = time.monotonic() - started
        assert [p["title"] for p in browser.received] == ["Snow at ORD", "Fog at BOS", "Ice at DEN"]
        assert waited < 5, f"{waited:.1f} s behind 40 silent hosts"
        assert silent_sends >= 4, "the silent hosts were being tried meanwhile"
    finally:
        await push.stop()
        await client.aclose()
