"""Answers to a request with credentials are never stored by a shared cache: a CDN rule
that caches everything must not serve one customer's data to the next one."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.hub_process import RealHub
from tests.support import bearer, mutation

PERSONAL = [
    "/v1/me",
    "/v1/cases",
    "/v1/cases/{case}",
    "/v1/callbacks",
    "/v1/sync/pull",
    "/v1/cases/no-such-case",  # a refusal is personal too
]


@pytest.fixture
def signed_in(hub: RealHub) -> Iterator[tuple[RealHub, httpx.Client, str]]:
    [(token, _)] = hub.sessions(["cache@example.com"])
    with httpx.Client(base_url=hub.url, headers=bearer(token)) as client:
        answer = client.post(
            "/v1/sync/push",
            json={
                "client_id": "cache-test",
                "mutations": [mutation("case.open", subject="Lost bag", description="Blue, tag 7")],
            },
        )
        case_id = answer.json()["results"][0]["entity"]["id"]
        yield hub, client, case_id


def test_every_personal_answer_is_private_and_not_stored(
    signed_in: tuple[RealHub, httpx.Client, str],
) -> None:
    _, client, case_id = signed_in
    for path in PERSONAL:
        answer = client.get(path.format(case=case_id))
        directives = {d.strip() for d in answer.headers.get("cache-control", "").split(",")}
        assert {"private", "no-store"} <= directives or directives == {"no-store"}, (
            path,
            answer.status_code,
            answer.headers.get("cache-control"),
        )


def test_public_documents_stay_cacheable_for_everyone(
    signed_in: tuple[RealHub, httpx.Client, str],
) -> None:
    hub, client, _ = signed_in
    anonymous = httpx.get(f"{hub.url}/v1/status")
    assert "public" in anonymous.headers["cache-control"]
    # The same document asked for by a signed-in app is still the public one.
    assert client.get("/v1/status").headers["cache-control"] == anonymous.headers["cache-control"]
