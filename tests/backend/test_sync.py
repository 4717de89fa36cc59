"""The sync protocol: pull in commit order with tombstones, paging and reset; push with
per-mutation results, idempotent by key."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from app.backend.crud import changes, kb
from app.backend.crud.components import save_component, set_component_state
from app.backend.db import Database
from app.backend.db.tables import cases
from app.schemas import ComponentState
from tests.support import Company, mutation, push


async def pull_all(
    client: httpx.AsyncClient, headers: dict[str, str], cursor: str = "", limit: int = 500
) -> tuple[list[dict[str, Any]], str]:
    found: list[dict[str, Any]] = []
    while True:
        response = await client.get(
            "/v1/sync/pull", params={"cursor": cursor, "limit": limit}, headers=headers
        )
        assert response.status_code == 200, response.text
        page = response.json()
        found.extend(page["changes"])
        cursor = page["cursor"]
        if not page["has_more"]:
            return found, cursor


async def test_pull_needs_a_customer(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/sync/pull")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert "WWW-Authenticate" in response.headers


async def test_first_pull_pages_through_everything_once(
    client: httpx.AsyncClient, alice: dict[str, str], company: Company
) -> None:
    small, cursor = await pull_all(client, alice, limit=2)
    whole, same_cursor = await pull_all(client, alice)
    assert cursor == same_cursor
    assert [(c["entity"], c["id"]) for c in small] == [(c["entity"], c["id"]) for c in whole]
    kinds = {c["entity"] for c in whole}
    assert {"component", "article", "category", "queue"} <= kinds
    assert len({(c["entity"], c["id"]) for c in whole}) == len(whole)
    again, next_cursor = await pull_all(client, alice, cursor)
    assert again == []
    assert next_cursor == cursor


async def test_pull_after_cursor_returns_only_the_new_state(
    client: httpx.AsyncClient, alice: dict[str, str], db: Database, company: Company
) -> None:
    _, cursor = await pull_all(client, alice)
    with db.write() as conn:
        set_component_state(conn, component_id="baggage", status=ComponentState.partial_outage)
        set_component_state(conn, component_id="baggage", status=ComponentState.major_outage)
    found, _ = await pull_all(client, alice, cursor)
    assert len(found) == 1, "two changes to one entity arrive as its latest state"
    assert found[0]["data"]["status"] == "major_outage"
    assert found[0]["version"] == 3


async def test_unpublished_article_becomes_a_tombstone(
    client: httpx.AsyncClient, alice: dict[str, str], db: Database, company: Company
) -> None:
    _, cursor = await pull_all(client, alice)
    with db.write() as conn:
        kb.save_article(
            conn,
            slug="bag-fees",
            locale="en",
            title="Checked bag fees",
            body="Gone.",
            category="baggage",
            published=False,
        )
    found, _ = await pull_all(client, alice, cursor)
    assert found == [
        {"entity": "article", "op": "delete", "id": "en:bag-fees", "version": 2, "data": None}
    ]


async def test_unknown_or_pruned_cursor_asks_for_reset(
    client: httpx.AsyncClient, alice: dict[str, str], db: Database, company: Company
) -> None:
    everything, _ = await pull_all(client, alice)
    ahead = await client.get("/v1/sync/pull", params={"cursor": "999999"}, headers=alice)
    assert ahead.json()["reset"] is True
    assert len(ahead.json()["changes"]) == len(everything)

    old_cursor = "1"
    with db.write() as conn:
        kb.delete_article(conn, slug="lost-bag", locale="en")
    _, cursor = await pull_all(client, alice)
    with db.write() as conn:
        changes.prune_tombstones(conn, up_to_seq=changes.latest_seq(conn))
    response = await client.get("/v1/sync/pull", params={"cursor": old_cursor}, headers=alice)
    body = response.json()
    assert body["reset"] is True
    assert "en:lost-bag" not in {c["id"] for c in body["changes"]}
    fresh = await client.get("/v1/sync/pull", params={"cursor": cursor}, headers=alice)
    assert fresh.json()["reset"] is False


async def test_malformed_cursor_is_a_problem(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    response = await client.get("/v1/sync/pull", params={"cursor": "abc"}, headers=alice)
    assert response.status_code == 400
    assert response.json()["type"] == "/problems/invalid-cursor"


async def test_replayed_key_returns_stored_result_without_second_effect(
    client: httpx.AsyncClient, alice: dict[str, str], db: Database
) -> None:
    opened = mutation(
        "case.open", subject="Lost bag", description="Blue suitcase", client_ref="local-1"
    )
    first = await push(client, alice, opened)
    second = await push(client, alice, opened)
    assert first[0]["status"] == "applied"
    assert second[0]["status"] == "duplicate"
    assert second[0]["entity"]["id"] == first[0]["entity"]["id"]
    assert first[0]["entity"]["data"]["client_ref"] == "local-1"
    with db.read() as conn:
        assert conn.execute(select(func.count()).select_from(cases)).scalar() == 1


async def test_key_reused_for_another_change_is_refused(
    client: httpx.AsyncClient, alice: dict[str, str], company: Company
) -> None:
    key = str(uuid.uuid4())
    await push(client, alice, mutation("case.open", key=key, subject="A", description="B"))
    [result] = await push(
        client, alice, mutation("article.feedback", key=key, article="lost-bag", helpful=True)
    )
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "key_conflict"


async def test_outbox_order_and_offline_refs(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    reply = mutation("case.reply", seq=2, case="local-7", body="Any news?", client_ref="m-1")
    opened = mutation(
        "case.open", seq=1, subject="Refund", description="Cancelled flight", client_ref="local-7"
    )
    results = await push(client, alice, reply, opened)
    assert [r["seq"] for r in results] == [1, 2]
    assert [r["status"] for r in results] == ["applied", "applied"]
    thread = results[1]["entity"]["data"]["messages"]
    assert [m["body"] for m in thread] == ["Any news?"]
    assert thread[0]["client_ref"] == "m-1"


async def test_rejection_is_explained_stored_and_does_not_block_the_queue(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    bad = mutation("case.reply", seq=1, case="no-such-case", body="Hello")
    good = mutation("case.open", seq=2, subject="Seat", description="Wrong seat")
    results = await push(client, alice, bad, good)
    assert results[0]["status"] == "rejected"
    assert results[0]["error"]["code"] == "not_found"
    assert results[0]["error"]["detail"]
    assert results[1]["status"] == "applied"
    [replayed] = await push(client, alice, bad)
    assert replayed == results[0]


async def test_invalid_arguments_are_rejected_with_the_field(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    [result] = await push(client, alice, mutation("case.open", subject="", description="x"))
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "invalid"
    assert "subject" in result["error"]["detail"]


async def test_subscriptions_are_private_and_normalized(
    client: httpx.AsyncClient, alice: dict[str, str], bob: dict[str, str]
) -> None:
    [result] = await push(
        client,
        alice,
        mutation(
            "subscriptions.set",
            components=["flights-ord"],
            keys=[" ord ", "nw 412"],
            quiet_hours=["22:00", "07:00"],
            time_zone="America/Chicago",
        ),
    )
    assert result["status"] == "applied"
    assert result["entity"]["data"]["keys"] == ["NW 412", "ORD"]
    mine, _ = await pull_all(client, alice)
    theirs, _ = await pull_all(client, bob)
    assert any(c["entity"] == "subscriptions" for c in mine)
    assert not any(c["entity"] == "subscriptions" for c in theirs)
    [bad] = await push(client, alice, mutation("subscriptions.set", quiet_hours=["25:00", "1"]))
    assert bad["status"] == "rejected"


async def test_device_registered_twice_is_one_device(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    args: dict[str, Any] = {
        "platform": "webpush",
        "endpoint": "https://push.example/abc",
        "keys": {"auth": "k"},
    }
    first = await push(client, alice, mutation("device.register", **args))
    second = await push(client, alice, mutation("device.register", **args))
    assert first[0]["entity"]["id"] == second[0]["entity"]["id"]


async def test_article_feedback(
    client: httpx.AsyncClient, alice: dict[str, str], db: Database, company: Company
) -> None:
    results = await push(
        client,
        alice,
        mutation("article.feedback", seq=1, article="lost-bag", helpful=False, comment="Vague"),
        mutation("article.feedback", seq=2, article="en:lost-bag", helpful=True),
        mutation("article.feedback", seq=3, article="nope", helpful=True),
    )
    assert [r["status"] for r in results] == ["applied", "applied", "rejected"]
    with db.read() as conn:
        summary = kb.feedback_summary(conn, article_ref="en:lost-bag")
    assert summary == {"helpful": 1, "not_helpful": 0}, "a later vote replaces the earlier"


def test_cursor_never_skips_a_change_committed_concurrently(db: Database) -> None:
    """Writers commit new entities while a reader pulls: every one of them is seen, so a
    cursor never passes a change that was still uncommitted."""
    written = [f"c{w}-{i}" for w in range(4) for i in range(40)]
    done = threading.Event()
    seen: set[str] = set()

    def writer(worker: int) -> None:
        for i in range(40):
            with db.write() as conn:
                save_component(conn, component_id=f"c{worker}-{i}", name="x")

    def reader() -> None:
        cursor = ""
        while True:
            finished = done.is_set()
            with db.read() as conn:
                feed = changes.read_feed(conn, cursor=cursor, limit=50, customer_id=None)
            seen.update(c.id for c in feed.changes)
            cursor = feed.cursor
            if finished and not feed.has_more:
                return

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    watcher.join()
    assert set(written) <= seen


async def test_values_out_of_range_are_rejected_not_500(
    client: httpx.AsyncClient, alice: dict[str, str], company: Company
) -> None:
    results = await push(
        client,
        alice,
        mutation("subscriptions.set", seq=1, time_zone="x" * 300),
        mutation("subscriptions.set", seq=2, time_zone="Mars/Olympus_Mons"),
        mutation(
            "callback.reschedule", seq=3, callback="cb_x", slot_start="9999-12-31T23:00:00-14:00"
        ),
        mutation("case.open", seq=4, subject="Still fine", description="after the others"),
    )
    assert [r["status"] for r in results] == ["rejected", "rejected", "rejected", "applied"]
    assert {r["error"]["code"] for r in results[:3]} <= {"invalid", "not_found"}
