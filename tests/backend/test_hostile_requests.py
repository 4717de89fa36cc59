"""Hostile requests the hub must refuse with a 4xx problem, never crash on: values nested
deep inside valid JSON, invalid UTF-8 in the address and in headers, megabyte strings in
bodies, queries and tokens. Complements tests/backend/test_errors_*.py, which cover
malformed bodies, NUL characters in mutations and the basic attachment checks."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.backend.db import Database
from app.backend.main import create_app
from app.backend.settings import HubSettings
from tests.backend.support import lenient, raw_request
from tests.support import Company, assert_problem, mutation, push_body, sign_in

MEGABYTE = "x" * 1_000_000


DEEP = 900  # Deep, but still within what Python's JSON parser reads.


# --- Deep nesting that parses, then reaches validation and storage. ---


def nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("method", "path", "body", "as_operator"),
    [
        ("POST", "/v1/sync/push", push_body(mutation("case.open", subject=nested(DEEP))), False),
        (
            "POST",
            "/v1/sync/push",
            push_body(mutation("case.open", subject="s", description="d", extra=nested(DEEP))),
            False,
        ),
        (
            "POST",
            "/v1/sync/push",
            push_body(mutation("subscriptions.set", keys=nested(DEEP))),
            False,
        ),
        ("PUT", "/v1/admin/queues/help/hours", {"hours": {"mon": nested(DEEP)}}, True),
        (
            "PUT",
            "/v1/admin/kb/articles/en/deep",
            {"title": "t", "body": "b", "category": "baggage", "tags": nested(DEEP)},
            True,
        ),
        ("POST", "/v1/admin/incidents", {"title": nested(DEEP), "impact": "minor"}, True),
    ],
    ids=["arg", "unknown-arg", "keys", "hours", "tags", "incident-title"],
)
async def test_deep_values_inside_valid_json_never_500(
    hub_app: Any,
    alice: dict[str, str],
    operator: dict[str, str],
    company: Company,
    method: str,
    path: str,
    body: Any,
    as_operator: bool,
) -> None:
    async with lenient(hub_app) as client:
        headers = operator if as_operator else alice
        response = await client.request(method, path, headers=headers, json=body)
    if response.status_code == 200 and path == "/v1/sync/push":
        [result] = response.json()["results"]
        # An unknown argument is ignored; a deep value where text belongs is refused.
        assert result["status"] == ("applied" if "extra" in str(body)[:200] else "rejected")
    else:
        assert_problem(response, 422)


# --- Invalid UTF-8 in the address and in headers. ---


@pytest.mark.parametrize("locale", [b"%ff%fe", b"\xff\xfe", b"e%c3%28"])
async def test_invalid_utf8_in_a_query_is_a_4xx_problem(hub_app: Any, locale: bytes) -> None:
    query = b"locale=" + locale
    status, headers, body = await raw_request(hub_app, "GET", "/v1/kb/articles", query=query)
    assert status == 422, body
    assert headers[b"content-type"].startswith(b"application/problem+json")


@pytest.mark.parametrize(
    "path", ["/v1/kb/articles/\ufffd", "/v1/incidents/\ufffd\ufffd", "/v1/sync/pull"]
)
@pytest.mark.parametrize("query", [b"cursor=%ff%fe", b"cursor=\xc3\x28", b"queue=%ff"])
async def test_invalid_utf8_in_a_path_or_cursor_never_500(
    hub_app: Any, alice: dict[str, str], path: str, query: bytes
) -> None:
    """Servers decode %FF in a path to U+FFFD; ids and cursors that make no sense are 4xx
    problems, unknown parameters are ignored."""
    bearer = [(b"authorization", alice["Authorization"].encode())]
    status, headers, body = await raw_request(hub_app, "GET", path, query=query, headers=bearer)
    if query.startswith(b"queue="):
        assert status in (200, 404), body
    else:
        assert 400 <= status < 500, body
    if status != 200:
        assert headers[b"content-type"].startswith(b"application/problem+json")


@pytest.mark.parametrize(
    ("path", "header"),
    [
        ("/v1/me", b"authorization"),
        ("/v1/admin/tokens", b"authorization"),
        ("/v1/status", b"if-none-match"),
        ("/v1/kb/changes", b"if-none-match"),
        ("/v1/kb/articles", b"accept-language"),
    ],
)
async def test_invalid_utf8_in_headers_never_500(hub_app: Any, path: str, header: bytes) -> None:
    value = b"Bearer \xff\xfe\xc3\x28" if header == b"authorization" else b'"\xff\xfe"'
    status, _headers, body = await raw_request(hub_app, "GET", path, headers=[(header, value)])
    assert status in ((401,) if header == b"authorization" else (200,)), body


async def test_invalid_utf8_in_the_idempotency_key_never_500(
    hub_app: Any, alice: dict[str, str]
) -> None:
    async with lenient(hub_app) as client:
        # A bytes value on purpose: it is not valid UTF-8.
        headers: Any = {**alice, "Idempotency-Key": b"\xff\xfe\xc3\x28"}
        response = await client.post(
            "/v1/attachments",
            headers=headers,
            files={"file": ("a.txt", b"hello", "text/plain")},
        )
    assert response.status_code == 201, response.text


# --- 1 MB strings. ---


async def test_a_megabyte_in_a_field_is_413_at_the_default_limit(
    client: httpx.AsyncClient, alice: dict[str, str], operator: dict[str, str]
) -> None:
    subject = push_body(mutation("case.open", subject=MEGABYTE, description="d"))
    assert_problem(await client.post("/v1/sync/push", headers=alice, json=subject), 413)
    article = {"title": "t", "body": MEGABYTE, "category": "baggage"}
    put = await client.put("/v1/admin/kb/articles/en/big", headers=operator, json=article)
    assert_problem(put, 413)


async def test_a_megabyte_under_a_higher_limit_is_refused_without_being_echoed(
    settings: HubSettings,
) -> None:
    api = create_app(settings.with_overrides(max_json_bytes=3_000_000))
    try:
        async with lenient(api) as client:
            db: Database = api.state.hub.db
            headers = await sign_in(client, db, "carol@example.com")
            too_long: list[dict[str, Any]] = [
                {"subject": MEGABYTE, "description": "d"},
                {"subject": "s", "description": MEGABYTE},
                {"subject": "s", "description": "d", "client_ref": MEGABYTE},
            ]
            for args in too_long:
                body = push_body(mutation("case.open", **args))
                response = await client.post("/v1/sync/push", headers=headers, json=body)
                assert response.status_code == 200, response.text[:500]
                assert response.json()["results"][0]["status"] == "rejected"
                assert len(response.content) < 10_000
            for path, json in (
                ("/v1/auth/start", {"email": f"{MEGABYTE}@example.com"}),
                ("/v1/auth/verify", {"email": "carol@example.com", "code": MEGABYTE}),
                ("/v1/sync/push", {"client_id": MEGABYTE, "mutations": []}),
            ):
                response = await client.post(path, headers=headers, json=json)
                assert_problem(response, 422)
                assert len(response.content) < 10_000
            assert (await client.get("/v1/cases", headers=headers)).json()["items"] == []
    finally:
        api.state.hub.db.dispose()


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/v1/kb/articles", b"cursor=" + MEGABYTE.encode()),
        ("/v1/kb/changes", b"cursor=" + MEGABYTE.encode()),
        ("/v1/callbacks/availability", b"queue=" + MEGABYTE.encode()),
        ("/v1/incidents", b"cursor=" + MEGABYTE.encode()),
    ],
)
async def test_a_megabyte_in_a_query_is_422(hub_app: Any, path: str, query: bytes) -> None:
    status, headers, body = await raw_request(hub_app, "GET", path, query=query)
    assert status == 422, body[:500]
    assert headers[b"content-type"].startswith(b"application/problem+json")
    assert len(body) < 10_000


async def test_a_megabyte_token_is_401(hub_app: Any) -> None:
    bearer = b"Bearer " + MEGABYTE.encode()
    status, _headers, body = await raw_request(
        hub_app, "GET", "/v1/me", headers=[(b"authorization", bearer)]
    )
    assert status == 401, body[:500]
