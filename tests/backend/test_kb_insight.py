"""What the Knowledge screen reads: articles by helpfulness (GET /v1/admin/kb/helpfulness)
and searches that found nothing, sent by devices as counts only (POST /v1/search-gaps) and
read by the team (GET /v1/admin/kb/gaps)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from app.backend.crud import kb
from app.backend.db import Database
from app.backend.db.tables import search_gap_batches, search_gaps
from app.backend.main import create_app
from app.backend.settings import HubSettings, RateLimit
from tests.support import Company, assert_problem, operator_headers, seed_company

Headers = dict[str, str]


async def vote(
    client: httpx.AsyncClient, article: str, voter: str, helpful: bool, **more: Any
) -> None:
    body = {"article": article, "helpful": helpful, "voter": voter * 20, **more}
    answer = await client.post("/v1/kb/feedback", json=body)
    assert answer.status_code == 204, answer.text


async def test_articles_come_worst_first_with_what_the_no_voters_wrote(
    client: httpx.AsyncClient, db: Database, company: Company, operator: Headers
) -> None:
    with db.write() as conn:
        kb.save_article(
            conn, slug="lost-bag", locale="es", title="Mi maleta", body="Mostrador.", category="b"
        )
    # lost-bag: 1 of 3 unhelpful; bag-fees: 2 of 2; es lost-bag: 1 of 1 (fewer votes).
    await vote(client, "en:lost-bag", "a", True)
    await vote(client, "en:lost-bag", "b", True)
    await vote(client, "en:lost-bag", "c", False, comment="The desk was closed")
    await vote(client, "en:bag-fees", "a", False, comment="Which card?")
    await vote(client, "en:bag-fees", "b", False)
    await vote(client, "en:bag-fees", "c", True)
    await vote(client, "en:bag-fees", "c", False, comment="Price changed")  # replaces a Yes
    await vote(client, "es:lost-bag", "a", False)

    answer = await client.get("/v1/admin/kb/helpfulness", headers=operator)
    assert answer.status_code == 200, answer.text
    found = [(a["locale"], a["slug"], a["helpful"], a["unhelpful"]) for a in answer.json()]
    assert found == [
        ("en", "bag-fees", 0, 3),
        ("es", "lost-bag", 0, 1),
        ("en", "lost-bag", 2, 1),
    ]
    first = answer.json()[0]
    assert first["title"] == "Checked bag fees"
    assert first["comments"] == ["Price changed", "Which card?"], "newest first, no empty ones"
    assert answer.json()[2]["comments"] == ["The desk was closed"]

    english = await client.get(
        "/v1/admin/kb/helpfulness", params={"locale": "en", "limit": 1}, headers=operator
    )
    assert [a["slug"] for a in english.json()] == ["bag-fees"]


async def send(
    client: httpx.AsyncClient, counts: dict[str, int], key: str | None = None, **headers: str
) -> httpx.Response:
    if key is not None:
        headers["Idempotency-Key"] = key
    return await client.post(
        "/v1/search-gaps", json={"locale": "en", "counts": counts}, headers=headers
    )


async def gaps(client: httpx.AsyncClient, operator: Headers, **params: Any) -> list[Any]:
    answer = await client.get("/v1/admin/kb/gaps", params=params, headers=operator)
    assert answer.status_code == 200, answer.text
    return [(g["query"], g["locale"], g["count"]) for g in answer.json()]


async def test_gaps_are_summed_most_counted_first(
    client: httpx.AsyncClient, company: Company, operator: Headers
) -> None:
    assert (await send(client, {"snow chains": 2, "pet carrier": 1})).status_code == 204
    assert (await send(client, {"Pet   Carrier ": 3})).status_code == 204
    spanish = {"locale": "es", "counts": {"cadenas": 1}}
    assert (await client.post("/v1/search-gaps", json=spanish)).status_code == 204
    assert await gaps(client, operator) == [
        ("pet carrier", "en", 4),
        ("snow chains", "en", 2),
        ("cadenas", "es", 1),
    ]
    assert await gaps(client, operator, locale="es") == [("cadenas", "es", 1)]
    assert await gaps(client, operator, limit=1) == [("pet carrier", "en", 4)]


async def test_a_batch_sent_again_after_it_was_counted_is_not_counted_twice(
    client: httpx.AsyncClient, company: Company, operator: Headers
) -> None:
    for _ in range(3):  # the device never heard the answer, and tried again
        assert (await send(client, {"wifi on board": 2}, key="batch-one-1")).status_code == 204
    assert (await send(client, {"wifi on board": 1}, key="batch-two-2")).status_code == 204
    assert await gaps(client, operator) == [("wifi on board", "en", 3)]


async def test_gaps_never_name_who_searched(
    client: httpx.AsyncClient, db: Database, company: Company, alice: Headers, operator: Headers
) -> None:
    """A token sent along is not looked at; the table has nowhere to keep a customer, and
    private-looking queries are dropped even when a device sends them."""
    counts = {
        "refund status": 1,
        "alice@example.com": 1,
        "mail me at bob@mail": 1,
        "+1 (312) 555-0199": 1,
        "card 4242 4242 4242 4242": 1,
        "flight nw123": 1,
    }
    assert (await send(client, counts, key="alice-batch", **alice)).status_code == 204
    assert await gaps(client, operator) == [("flight nw123", "en", 1), ("refund status", "en", 1)]
    me = (await client.get("/v1/me", headers=alice)).json()
    with db.read() as conn:
        stored = [dict(r._mapping) for r in conn.execute(select(search_gaps))]
        batches = [dict(r._mapping) for r in conn.execute(select(search_gap_batches))]
    assert set(search_gaps.c.keys()) == {"query", "locale", "count", "last_seen"}
    assert set(search_gap_batches.c.keys()) == {"key_hash", "created_at"}
    for row in [*stored, *batches]:
        text = repr(row)
        assert me["id"] not in text and "alice" not in text and "alice-batch" not in text


async def test_bad_gaps_are_refused_and_count_nothing(
    client: httpx.AsyncClient, company: Company, operator: Headers
) -> None:
    for body in (
        {"locale": "en", "counts": {"x": 0}},
        {"locale": "en", "counts": {"x": -3}},
        {"locale": "en", "counts": {"x": 10_001}},
        {"locale": "en", "counts": {"q" * 101: 1}},
        {"locale": "en", "counts": {"": 1}},
        {"locale": "en", "counts": {f"q{n}": 1 for n in range(201)}},
        {"locale": "not a locale", "counts": {"x": 1}},
        {"counts": {"x": 1}},
        {"locale": "en", "counts": ["x"]},
    ):
        assert_problem(await client.post("/v1/search-gaps", json=body), 422)
    assert_problem(await send(client, {"x": 1}, key="short"), 422)
    assert await gaps(client, operator) == []
    for params in ({"limit": 0}, {"limit": 501}, {"locale": "english please"}):
        for path in ("/v1/admin/kb/gaps", "/v1/admin/kb/helpfulness"):
            assert_problem(await client.get(path, params=params, headers=operator), 422)


async def test_the_knowledge_routes_need_the_kb_scope(
    client: httpx.AsyncClient, db: Database, company: Company, alice: Headers
) -> None:
    without_kb = operator_headers(db, "cases", "callbacks", "status")
    for path in ("/v1/admin/kb/gaps", "/v1/admin/kb/helpfulness"):
        assert_problem(await client.get(path, headers=without_kb), 403)
        assert_problem(await client.get(path, headers=alice), 403)
        assert_problem(await client.get(path), 401)


@pytest.fixture
async def far_client(settings: HubSettings) -> AsyncIterator[httpx.AsyncClient]:
    """A hub allowing 2 batches an hour per address, reached from a remote address."""
    app = create_app(replace(settings, search_gaps_per_client=RateLimit(2, 3600)))
    seed_company(app.state.hub.db)
    remote = httpx.ASGITransport(app=app, client=("203.0.113.9", 4000))
    async with httpx.AsyncClient(transport=remote, base_url="http://hub.test") as far:
        yield far
    app.state.hub.db.dispose()


async def test_gaps_are_limited_per_address(far_client: httpx.AsyncClient) -> None:
    for n in range(2):
        assert (await send(far_client, {"lounge": 1}, key=f"batch-{n:04}")).status_code == 204
    refused = await send(far_client, {"lounge": 1}, key="batch-9999")
    assert_problem(refused, 429)
    assert int(refused.headers["retry-after"]) > 0
