"""One push, few transactions: the mutations of a push commit together, each in its own
savepoint (a refused one undoes nothing else), a callback mutation alone; a push whose
shared transaction meets a deadlock is applied again one mutation at a time, never twice."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import Connection, func, select
from sqlalchemy.exc import OperationalError

from app.backend import sync_push
from app.backend.db import Database
from app.backend.db.tables import cases, mutations
from tests.support import Company, mutation, push


@pytest.fixture
def commits(db: Database, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the write transactions the hub opens while the test runs (background reads,
    such as the event bus's, commit too and are left out)."""
    seen: list[int] = []
    real = db.write

    @contextmanager
    def counted() -> Iterator[Connection]:
        seen.append(1)
        with real() as conn:
            yield conn

    monkeypatch.setattr(db, "write", counted)
    return seen


def counts(db: Database) -> tuple[int, int]:
    with db.read() as conn:
        opened = conn.execute(select(func.count()).select_from(cases)).scalar_one()
        stored = conn.execute(select(func.count()).select_from(mutations)).scalar_one()
    return opened, stored


async def commits_of_one(
    client: httpx.AsyncClient, alice: dict[str, str], commits: list[int]
) -> int:
    """The commits of a push of one mutation, the request's own included (the first
    request of a session writes more, so it is made first)."""
    await push(client, alice, mutation("case.open", subject="First", description="Warm-up"))
    commits.clear()
    await push(client, alice, mutation("case.open", subject="Second", description="Alone"))
    alone = sum(commits)
    commits.clear()
    return alone


def three_changes() -> list[dict[str, Any]]:
    return [
        mutation("case.open", seq=1, subject="Lost bag", description="Blue suitcase"),
        mutation("case.open", seq=2, subject="", description="no subject"),
        mutation("case.open", seq=3, subject="Refund", description="Flight NW12"),
    ]


async def test_a_push_commits_once_and_a_refusal_undoes_nothing_else(
    client: httpx.AsyncClient, alice: dict[str, str], db: Database, commits: list[int]
) -> None:
    alone = await commits_of_one(client, alice, commits)
    changes = three_changes()
    results = await push(client, alice, *changes)
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert sum(commits) == alone, "three mutations cost the commits of one"
    assert counts(db) == (4, 5), "both cases and all three records are kept"

    replayed = await push(client, alice, *changes)
    assert [r["status"] for r in replayed] == ["duplicate", "rejected", "duplicate"]
    assert counts(db) == (4, 5)


class Deadlock(Exception):
    """What psycopg raises when PostgreSQL breaks a deadlock (a fault, injected)."""

    sqlstate = "40P01"


async def test_a_deadlocked_push_is_applied_again_one_by_one_and_only_once(
    client: httpx.AsyncClient,
    alice: dict[str, str],
    db: Database,
    commits: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = sync_push._apply_in
    calls: list[str] = []

    def deadlocks_on_the_second(conn: Any, rules: Any, change: Any) -> Any:
        calls.append(change.key)
        if len(calls) == 2:
            raise OperationalError("UPDATE slot_usage", {}, Deadlock())
        return real(conn, rules, change)

    alone = await commits_of_one(client, alice, commits)
    db_was = counts(db)
    calls.clear()
    monkeypatch.setattr(sync_push, "_apply_in", deadlocks_on_the_second)
    results = await push(client, alice, *three_changes())
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert len(calls) == 5, "two in the shared transaction, then three alone"
    assert sum(commits) == alone + 3, "the shared one, undone, then one per mutation"
    assert db_was == (2, 2)
    assert counts(db) == (4, 5), "the first case was undone with the shared transaction"


async def test_another_database_error_is_not_retried(
    client: httpx.AsyncClient,
    alice: dict[str, str],
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def server_gone(conn: Any, rules: Any, change: Any) -> Any:
        raise OperationalError("SELECT 1", {}, ConnectionError("server closed the connection"))

    monkeypatch.setattr(sync_push, "_apply_in", server_gone)
    response = await client.post(
        "/v1/sync/push",
        headers=alice,
        json={"client_id": "test-device", "mutations": three_changes()},
    )
    assert response.status_code == 503
    assert counts(db) == (0, 0)


async def test_a_callback_mutation_commits_alone_between_shared_runs(
    client: httpx.AsyncClient,
    alice: dict[str, str],
    db: Database,
    company: Company,
    commits: list[int],
) -> None:
    alone = await commits_of_one(client, alice, commits)
    asap = {"queue": "help", "mode": "asap", "phone": "+13125550123"}
    changes = [
        mutation("case.open", seq=1, subject="Lost bag", description="Blue suitcase"),
        mutation("case.open", seq=2, subject="Refund", description="Flight NW12"),
        mutation("callback.request", seq=3, **asap),
        mutation("case.open", seq=4, subject="Seat", description="Aisle please"),
        mutation("case.open", seq=5, subject="Meal", description="Vegetarian"),
    ]
    results = await push(client, alice, *changes)
    assert [r["status"] for r in results] == ["applied"] * 5
    assert sum(commits) == alone + 2, "two shared runs and the callback alone"
