"""The committed OpenAPI document is the one the hub serves."""

from __future__ import annotations

import json

import httpx

from app.backend.openapi_doc import COMMITTED, openapi_text


def test_committed_openapi_matches_the_code() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == openapi_text(), (
        "the API changed: run `python -m app.backend openapi --output app/backend/openapi.json`"
    )


async def test_served_openapi_is_the_committed_one(client: httpx.AsyncClient) -> None:
    served = (await client.get("/openapi.json")).json()
    assert served == json.loads(COMMITTED.read_text(encoding="utf-8"))
    for path in (
        "/v1/status",
        "/api/v2/summary.json",
        "/v1/kb/changes",
        "/v1/callbacks/availability",
        "/v1/auth/start",
        "/v1/auth/verify",
        "/v1/sync/pull",
        "/v1/sync/push",
        "/v1/attachments",
    ):
        assert path in served["paths"]
