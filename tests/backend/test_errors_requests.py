"""Requests a client gets wrong are problem+json 4xx answers, never a crash: unknown routes
and methods, malformed or misshapen JSON, bodies over the limit, bad pull cursors and
limits, and invalid mutation envelopes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from app.backend.settings import HubSettings
from tests.backend.support import custom_hub
from tests.support import assert_problem, mutation, push_body, sign_in


def error_locations(body: dict[str, Any]) -> list[list[str | int]]:
    return [error["loc"] for error in body["errors"]]


async def test_unknown_route_is_404_problem(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/v1/no-such-thing"), 404)


async def test_wrong_method_is_405_problem(client: httpx.AsyncClient) -> None:
    response = await client.delete("/v1/status")
    assert_problem(response, 405)
    assert "GET" in response.headers["allow"]


async def test_malformed_json_is_400(client: httpx.AsyncClient, alice: dict[str, str]) -> None:
    response = await client.post(
        "/v1/sync/push",
        headers={**alice, "content-type": "application/json"},
        content=b'{"client_id": "x", "mutations": [',
    )
    assert assert_problem(response, 400)["type"].endswith("malformed-json")


async def test_json_of_the_wrong_shape_is_422_with_locations(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    body = {"client_id": "", "mutations": [{"seq": "first", "name": "case.open"}]}
    problem = assert_problem(await client.post("/v1/sync/push", headers=alice, json=body), 422)
    assert problem["type"].endswith("validation")
    locations = error_locations(problem)
    for expected in (
        ["body", "client_id"],
        ["body", "mutations", 0, "seq"],
        ["body", "mutations", 0, "key"],
        ["body", "mutations", 0, "created_at"],
    ):
        assert expected in locations
    array = await client.post("/v1/sync/push", headers=alice, json=[1, 2])
    assert ["body"] in error_locations(assert_problem(array, 422))


@pytest.mark.parametrize(
    "content",
    [
        b'{"client_id": "\xff\xfe", "mutations": []}',
        b'{"email": "\xc3\x28@example.com"}',
        b"[" * 100_000,
        b'{"client_id": "d", "mutations": [], "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"client_id": "d", "mutations": [], "x": ' + b'{"a":' * 50_000 + b"1" + b"}" * 50_001,
    ],
    ids=["invalid-utf8", "invalid-utf8-email", "open-brackets", "deep-arrays", "deep-objects"],
)
async def test_unparseable_bodies_are_4xx_problems(
    client: httpx.AsyncClient, alice: dict[str, str], content: bytes
) -> None:
    headers = {**alice, "content-type": "application/json"}
    for path in ("/v1/sync/push", "/v1/auth/start"):
        assert_problem(await client.post(path, headers=headers, content=content))


async def test_bodies_over_the_limit_are_413(settings: HubSettings) -> None:
    async with custom_hub(settings, max_json_bytes=2_000) as (client, db):
        headers = await sign_in(client, db, "carol@example.com")
        small = push_body(mutation("case.open", subject="s", description="d" * 1_000))
        assert (await client.post("/v1/sync/push", headers=headers, json=small)).status_code == 200
        large = push_body(mutation("case.open", subject="s", description="d" * 3_000))
        response = await client.post("/v1/sync/push", headers=headers, json=large)
        assert_problem(response, 413)

        async def chunks() -> AsyncIterator[bytes]:
            yield b'{"client_id": "d", "mutations": [], "pad": "'
            for _ in range(10):
                yield b"x" * 500
            yield b'"}'

        chunked = await client.post(
            "/v1/sync/push",
            headers={**headers, "content-type": "application/json"},
            content=chunks(),
        )
        assert_problem(chunked, 413)
        # Nothing was applied by the refused bodies.
        cases = (await client.get("/v1/cases", headers=headers)).json()["items"]
        assert len(cases) == 1


@pytest.mark.parametrize("cursor", ["abc", "-1", "1.5", "0x10"])
async def test_invalid_pull_cursor_is_400(
    client: httpx.AsyncClient, alice: dict[str, str], cursor: str
) -> None:
    response = await client.get("/v1/sync/pull", headers=alice, params={"cursor": cursor})
    assert assert_problem(response, 400)["type"].endswith("invalid-cursor")


@pytest.mark.parametrize("limit", ["0", "1001", "-5", "ten"])
async def test_pull_limit_out_of_range_is_422(
    client: httpx.AsyncClient, alice: dict[str, str], limit: str
) -> None:
    response = await client.get("/v1/sync/pull", headers=alice, params={"limit": limit})
    assert ["query", "limit"] in error_locations(assert_problem(response, 422))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "case.delete"),
        ("name", ""),
        ("key", "not-a-uuid"),
        ("key", "1234"),
        ("key", "abb9b6ed-ba5a-4156-9a8a-707b6bbed48d0"),  # one digit too many
        ("seq", -1),
        ("created_at", "yesterday"),
    ],
)
async def test_invalid_mutation_envelope_is_422(
    client: httpx.AsyncClient, alice: dict[str, str], field: str, value: Any
) -> None:
    entry = {**mutation("case.open", subject="s", description="d"), field: value}
    response = await client.post("/v1/sync/push", headers=alice, json=push_body(entry))
    assert ["body", "mutations", 0, field] in error_locations(assert_problem(response, 422))
