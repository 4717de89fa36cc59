"""Public documents served from memory: built once per version, a local write shows at once,
another process's write within the recheck interval, and a write that lands while the
version is being read is never hidden."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from app.backend.caching import DocumentCache
from app.backend.crud import status
from app.backend.db import Database
from app.schemas import Impact
from tests.backend.support import publish
from tests.support import Company


def test_a_document_is_built_once_per_version() -> None:
    cache = DocumentCache(recheck_seconds=60)
    builds: list[int] = []

    def build() -> dict[str, int]:
        builds.append(1)
        return {"n": len(builds)}

    assert cache.recent("status") is None
    first = cache.store("status", 1, build, cache.generation())
    assert cache.store("status", 1, build, cache.generation()) == first
    assert cache.recent("status") == first
    assert len(builds) == 1
    moved = cache.store("status", 2, build, cache.generation())
    assert moved != first
    assert moved[0] == b'{"n":2}'
    assert len(builds) == 2


def test_a_local_write_sends_the_next_request_to_the_database() -> None:
    cache = DocumentCache(recheck_seconds=60)
    cache.store("status", 1, dict, cache.generation())
    cache.expire()
    assert cache.recent("status") is None


def test_a_write_during_the_version_read_is_not_hidden() -> None:
    cache = DocumentCache(recheck_seconds=60)
    generation = cache.generation()  # taken before reading the version...
    cache.expire()  # ...a write commits meanwhile...
    cache.store("status", 1, dict, generation)  # ...and the version read may predate it
    assert cache.recent("status") is None


def test_documents_are_looked_at_again_after_the_interval() -> None:
    cache = DocumentCache(recheck_seconds=0)
    cache.store("status", 1, dict, cache.generation())
    assert cache.recent("status") is None


async def test_requests_that_need_a_fresh_look_share_one_read() -> None:
    cache = DocumentCache(recheck_seconds=60)
    reads: list[int] = []
    release = asyncio.Event()

    async def read(generation: int) -> tuple[bytes, str]:
        reads.append(generation)
        await release.wait()
        return cache.store("status", len(reads), lambda: {"read": len(reads)}, generation)

    waiting = [asyncio.create_task(cache.fresh("status", read)) for _ in range(50)]
    for _ in range(3):
        await asyncio.sleep(0)
    cache.expire()  # a write of this process lands while that read is under way...
    after_write = asyncio.create_task(cache.fresh("status", read))
    for _ in range(3):  # the task, then the read it starts
        await asyncio.sleep(0)
    assert reads == [0, 1], "...so what follows it waits for a read of its own"
    release.set()
    answers = await asyncio.gather(*waiting)
    assert {body for body, _ in answers} == {b'{"read":2}'}
    assert (await after_write)[0] == b'{"read":2}'
    assert await cache.fresh("status", read) == answers[0], "then served from memory"
    assert reads == [0, 1]


async def test_a_client_hanging_up_does_not_cancel_the_shared_read() -> None:
    cache = DocumentCache(recheck_seconds=60)
    release = asyncio.Event()

    async def read(generation: int) -> tuple[bytes, str]:
        await release.wait()
        return cache.store("status", 1, dict, generation)

    gone = asyncio.create_task(cache.fresh("status", read))
    staying = asyncio.create_task(cache.fresh("status", read))
    await asyncio.sleep(0)
    gone.cancel()
    release.set()
    assert (await staying)[0] == b"{}"


async def test_another_processs_change_shows_within_the_interval(
    client: httpx.AsyncClient, company: Company, operator: dict[str, str], hub_app: Any
) -> None:
    await publish(client, operator)  # this process's own write shows at once
    before = await client.get("/v1/status")
    assert before.json()["indicator"] == "major"
    # Another hub process (or the operator CLI) writes to the same database.
    other = Database(hub_app.state.hub.db.url)
    try:
        with other.write() as conn:
            status.publish_incident(
                conn,
                title="Ground stop",
                impact=Impact.critical,
                components_affected=["flights-ord"],
                body="All flights held.",
            )
    finally:
        other.dispose()
    await asyncio.sleep(hub_app.state.hub.documents.recheck_seconds + 0.1)
    after = await client.get("/v1/status", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.json()["indicator"] == "critical"
