"""'Was this helpful?' without an account: POST /v1/kb/feedback counts a vote at once, one
per voter and article, keeps the voter only as a hash, and is rate limited."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from app.backend.crud import kb
from app.backend.db import Database
from app.backend.db.tables import article_feedback
from app.backend.main import create_app
from app.backend.settings import HubSettings, RateLimit
from tests.support import Company, assert_problem, seed_company

VOTER = "k" * 20
OTHER = "o" * 20


def votes(db: Database) -> list[Any]:
    with db.read() as conn:
        return list(conn.execute(select(article_feedback).order_by(article_feedback.c.id)))


async def test_a_vote_counts_at_once_without_an_account(
    client: httpx.AsyncClient, db: Database, company: Company
) -> None:
    no = {"article": "en:lost-bag", "helpful": False, "voter": VOTER}
    answer = await client.post("/v1/kb/feedback", json=no)
    assert answer.status_code == 204, answer.text
    with db.read() as conn:
        assert kb.feedback_summary(conn, article_ref="en:lost-bag") == {
            "helpful": 0,
            "not_helpful": 1,
        }
    # The optional comment comes later and replaces the vote; another voter counts apart.
    commented = {**no, "comment": "  Which desk?  "}
    assert (await client.post("/v1/kb/feedback", json=commented)).status_code == 204
    by_slug = {"article": "lost-bag", "helpful": True, "voter": OTHER}
    assert (await client.post("/v1/kb/feedback", json=by_slug)).status_code == 204
    first, second = votes(db)
    assert (first.helpful, first.comment, second.helpful) == (False, "Which desk?", True)
    assert first.customer_id is None and second.customer_id is None
    assert first.voter_hash != second.voter_hash
    assert VOTER not in str(tuple(first)), "the voter's key is kept only as a hash"


async def test_without_a_key_the_address_is_the_voter(
    client: httpx.AsyncClient, db: Database, company: Company
) -> None:
    for helpful in (True, False):
        vote = {"article": "en:bag-fees", "helpful": helpful}
        assert (await client.post("/v1/kb/feedback", json=vote)).status_code == 204
    [row] = votes(db)
    assert row.helpful is False and row.voter_hash and "127.0.0.1" not in str(tuple(row))


@pytest.mark.parametrize(
    "body",
    [
        {"article": "en:nope", "helpful": True},
        {"article": "en:lost-bag"},
        {"article": "en:lost-bag", "helpful": "perhaps"},
        {"article": "en:lost-bag", "helpful": True, "voter": "short"},
        {"article": "en:lost-bag", "helpful": True, "voter": "spaces are not allowed here"},
        {"article": "en:lost-bag", "helpful": False, "comment": "x" * 2001},
        {"article": "en:lost-bag", "helpful": False, "comment": "bell\a"},
        {"article": "", "helpful": True},
        [1, 2],
    ],
)
async def test_bad_votes_get_a_problem_and_count_nothing(
    client: httpx.AsyncClient, db: Database, company: Company, body: Any
) -> None:
    answer = await client.post("/v1/kb/feedback", json=body)
    assert_problem(answer, 404 if body == {"article": "en:nope", "helpful": True} else 422)
    assert votes(db) == []


async def test_not_json_is_refused(client: httpx.AsyncClient, company: Company) -> None:
    answer = await client.post(
        "/v1/kb/feedback", content=b"{oops", headers={"content-type": "application/json"}
    )
    assert_problem(answer, 400)


@pytest.fixture
async def limited(settings: HubSettings) -> AsyncIterator[tuple[Database, dict[str, Any]]]:
    """A hub allowing 3 votes an hour, reached from a remote address and from loopback."""
    app = create_app(replace(settings, votes_per_client=RateLimit(3, 3600)))
    db: Database = app.state.hub.db
    seed_company(db)
    remote = httpx.ASGITransport(app=app, client=("203.0.113.9", 4000))
    local = httpx.ASGITransport(app=app)
    async with (
        httpx.AsyncClient(transport=remote, base_url="http://hub.test") as far,
        httpx.AsyncClient(transport=local, base_url="http://hub.test") as near,
    ):
        yield db, {"far": far, "near": near}
    db.dispose()


async def test_votes_are_limited_per_address_and_per_voter(
    limited: tuple[Database, dict[str, Any]],
) -> None:
    db, clients = limited
    far, near = clients["far"], clients["near"]
    for n in range(3):
        vote = {"article": "en:lost-bag", "helpful": True, "voter": f"{n}" * 20}
        assert (await far.post("/v1/kb/feedback", json=vote)).status_code == 204
    refused = await far.post("/v1/kb/feedback", json={"article": "en:lost-bag", "helpful": True})
    assert_problem(refused, 429)
    assert int(refused.headers["retry-after"]) > 0
    # An app server on the hub's machine speaks for many visitors: each voter is counted.
    for _ in range(3):
        vote = {"article": "en:bag-fees", "helpful": False, "voter": VOTER}
        assert (await near.post("/v1/kb/feedback", json=vote)).status_code == 204
    again = {"article": "en:bag-fees", "helpful": False, "voter": VOTER}
    assert_problem(await near.post("/v1/kb/feedback", json=again), 429)
    other = {"article": "en:bag-fees", "helpful": True, "voter": OTHER}
    assert (await near.post("/v1/kb/feedback", json=other)).status_code == 204
    assert len(votes(db)) == 5
