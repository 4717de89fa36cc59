"""What a hub answers from memory while LISTEN is up (listen_caches.py): nothing kept that
a revocation raced, nothing served once revoked here, nothing at all while off."""

from __future__ import annotations

from typing import Any

import httpx

from app.backend.crud.auth import TokenInfo
from app.backend.listen_caches import ChangeMark, TokenCache
from tests.support import Company


def info(token_id: str = "tok_1", expires_at: str | None = None) -> TokenInfo:
    return TokenInfo(token_id, "customer", "cus_1", frozenset(), expires_at)


def test_tokens_are_held_only_while_on_and_until_revoked() -> None:
    cache = TokenCache()
    cache.put("k", info(), cache.generation)
    assert cache.get("k") is None, "off (no LISTEN): nothing is held"
    cache.set_enabled(True)
    cache.put("k", info(), cache.generation)
    assert cache.get("k") == info()
    cache.revoke(["tok_1"])
    assert cache.get("k") is None
    cache.put("old", info(expires_at="2000-01-01T00:00:00Z"), cache.generation)
    assert cache.get("old") is None, "an expired token is not served from memory"
    cache.put("k", info(), cache.generation)
    cache.set_enabled(False)
    assert cache.get("k") is None, "LISTEN dropped: everything held is forgotten"


def test_a_check_that_a_revocation_overtook_is_not_kept() -> None:
    cache = TokenCache()
    cache.set_enabled(True)
    before_read = cache.generation
    cache.revoke(["tok_1"])  # lands while the check was reading the database
    cache.put("k", info(), before_read)
    assert cache.get("k") is None


def test_the_change_mark_is_known_only_from_a_read_nothing_overtook() -> None:
    mark = ChangeMark()
    mark.learn(7, mark.generation)
    assert mark.known() is None, "off: always ask the database"
    mark.set_enabled(True)
    before_read = mark.generation
    mark.forget()  # a change committed while the feed was read
    mark.learn(7, before_read)
    assert mark.known() is None
    mark.learn(8, mark.generation)
    assert mark.known() == 8


async def test_a_token_revoked_in_this_process_is_refused_at_once(
    client: httpx.AsyncClient, hub_app: Any, alice: dict[str, str], company: Company
) -> None:
    """As a served hub on PostgreSQL holds tokens; here turned on by hand (no LISTEN in
    process), so only the commit hook can forget the token in time."""
    hub = hub_app.state.hub
    hub.tokens.set_enabled(True)
    hub.changes.set_enabled(True)
    first = await client.get("/v1/sync/pull", headers=alice)
    cursor = first.json()["cursor"]
    idle = await client.get("/v1/sync/pull", params={"cursor": cursor}, headers=alice)
    assert idle.json() == {"cursor": cursor, "has_more": False, "reset": False, "changes": []}
    assert idle.headers["cache-control"] == "private, no-store", "as the route answers it"
    odd = await client.get("/v1/sync/pull", params={"cursor": cursor, "limit": 0}, headers=alice)
    assert odd.status_code == 422, "an unusual query goes on to the route"
    assert (await client.post("/v1/auth/logout", headers=alice)).status_code == 204
    refused = await client.get("/v1/sync/pull", params={"cursor": cursor}, headers=alice)
    assert refused.status_code == 401
