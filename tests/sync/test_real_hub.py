"""Offline and back, against a real hub process: everything done while the hub was down
arrives exactly once; a sync killed with SIGKILL loses nothing."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.api import HubClient, Offline
from app.schemas import CallbackMode, Customer
from app.store import open_local
from app.sync import SyncEngine
from tests.hub_process import RealHub
from tests.support import bearer

pytestmark = pytest.mark.server


def cases_on_hub(hub: RealHub, token: str) -> list[dict[str, Any]]:
    answer = httpx.get(f"{hub.url}/v1/cases", params={"limit": 100}, headers=bearer(token))
    found = answer.json()["items"]
    return list(found)


async def test_offline_actions_arrive_exactly_once(hub: RealHub, tmp_path: Path) -> None:
    session = hub.sign_in("offline@example.com")
    store = open_local(tmp_path / "app")
    store.personal.account.sign_in(session["token"], Customer.model_validate(session["customer"]))
    client = HubClient(hub.url, token=store.personal.account.token)
    engine = SyncEngine(client, public=store.public, personal=store.personal)
    await engine.sync()
    assert store.public.content.article("winter-weather-travel-waiver", "en") is not None

    hub.stop()
    case_id = store.personal.cases.open(
        subject="Stranded at ORD", description="NW 412 cancelled", category="delays-cancellations"
    )
    store.personal.cases.reply(case_id, "I am at gate B6")
    store.personal.callbacks.request(
        queue_id="rebooking", mode=CallbackMode.asap, phone="+1 312 555 0123"
    )
    store.personal.account.give_feedback("en:winter-weather-travel-waiver", True, "Clear")
    with pytest.raises(Offline):
        await engine.sync()
    assert store.personal.outbox.counts()["pending"] == 4
    assert store.public.search.search("winter waiver")[0].slug == "winter-weather-travel-waiver"

    hub.start(demo=False)
    await engine.sync()
    await engine.sync()
    assert store.personal.outbox.counts() == {"pending": 0, "rejected": 0}
    [case] = await asyncio.to_thread(cases_on_hub, hub, session["token"])
    assert case["subject"] == "Stranded at ORD"
    assert [m["body"] for m in case["messages"]] == ["I am at gate B6"]
    async with httpx.AsyncClient(base_url=hub.url) as http:
        answer = await http.get("/v1/callbacks", headers=bearer(session["token"]))
    callbacks = answer.json()
    assert [c["phone"] for c in callbacks["items"]] == ["+13125550123"]
    [local] = store.personal.cases.list()
    assert local.sync_state == "synced"
    assert [m.state for m in local.messages] == ["sent"]
    await client.aclose()
    store.close()


WORKER = """
import asyncio, sys
from app.api import HubClient
from app.store import open_local
from app.sync import SyncEngine
store = open_local(sys.argv[1])
client = HubClient(sys.argv[2], token=store.personal.account.token)
engine = SyncEngine(client, public=store.public, personal=store.personal)
print("ready", flush=True)
async def forever():
    while True:
        await engine.sync()
asyncio.run(forever())
"""


@pytest.fixture
def roomy_hub(tmp_path: Path) -> Iterator[RealHub]:
    """A hub that takes a 300-change outbox in one go (120 changes a minute by default)."""
    hub = RealHub(tmp_path / "hub")
    hub.env["CARELINE_WRITES_PER_MINUTE"] = "1000"
    hub.start()
    yield hub
    hub.stop()


def test_sigkill_during_sync_loses_nothing(roomy_hub: RealHub, tmp_path: Path) -> None:
    hub = roomy_hub
    session = hub.sign_in("killed@example.com")
    folder = tmp_path / "app"
    store = open_local(folder)
    store.personal.account.sign_in(session["token"], Customer.model_validate(session["customer"]))
    subjects = [f"case {n}" for n in range(300)]
    for subject in subjects:
        store.personal.cases.open(subject=subject, description="d", category="general")
    store.close()

    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(folder), hub.url],
        stdout=subprocess.PIPE,
        env=dict(os.environ),
    )
    assert worker.stdout is not None
    assert worker.stdout.readline().strip() == b"ready"
    deadline = time.monotonic() + 30
    while len(cases_on_hub(hub, session["token"])) < 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    delivered_before_kill = len(cases_on_hub(hub, session["token"]))
    worker.wait(timeout=10)
    worker.stdout.close()

    reopened = open_local(folder)
    assert reopened.personal.db.integrity_ok()
    assert 0 < delivered_before_kill < 300, "killed part-way through the drain"
    assert reopened.personal.outbox.counts()["pending"] >= 300 - delivered_before_kill

    async def sync_once() -> None:
        client = HubClient(hub.url, token=reopened.personal.account.token)
        try:
            await SyncEngine(client, public=reopened.public, personal=reopened.personal).sync()
        finally:
            await client.aclose()

    asyncio.run(sync_once())
    assert reopened.personal.outbox.counts() == {"pending": 0, "rejected": 0}
    found: list[str] = []
    cursor = None
    headers = bearer(session["token"])
    while True:
        params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        page = httpx.get(f"{hub.url}/v1/cases", params=params, headers=headers).json()
        found += [c["subject"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(found) == sorted(subjects), json.dumps(sorted(set(found) ^ set(subjects)))
    reopened.close()
