"""The hub's PostgreSQL server stopped and started (a private cluster, never the machine's
shared one): the hub answers 503 + Retry-After problem documents quickly, says so on
/healthz, recovers by itself and loses nothing; its event fan-out and push dispatcher
carry on afterwards.

The figures the test measures are printed (`pytest -s` shows them)."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.backend.db import Database
from app.backend.db.tables import (
    events,
    meta,
)
from app.backend.push_delivery.dispatcher import CURSOR_KEY
from tests.backend.events_support import EventReader
from tests.backend.write_load_support import (
    UNAVAILABLE_WITHIN,
    Sent,
    Writer,
    assert_unavailable,
    check_writers,
    prepare,
)
from tests.hub_process import RealHub
from tests.pg_cluster import REQUIRE_ENV, PrivateCluster, unavailable_reason
from tests.support import bearer, mutation


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


RECOVER_WITHIN = 20.0


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
