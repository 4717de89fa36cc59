"""The authorization matrix: every route of the hub, classified, against every kind of
caller that must be refused.

test_isolation.py shows specific cross-customer cases in depth; this file is the
systematic sweep. Each route is listed in ROUTES with who may call it and one request
that succeeds for the right caller. The route list is compared with the app's own routes,
so a new endpoint fails here until it is classified. Then every customer, sign-in and
operator route is called with each caller of `conftest.callers`, and must be refused
with:

- 401 and `WWW-Authenticate: Bearer`: no token, a malformed one, or one that is revoked,
  expired or belongs to an erased account (DESIGN.md: "401 means sign in again");
- 403: a live token of the wrong kind (an operator on a customer endpoint, a customer
  on an operator endpoint) or an operator token without the endpoint's scope;
- 404 exactly like a missing id: another customer's case, callback or attachment.

Refusals change nothing, and no response (body or headers) carries the first customer's
data. Push mutations, which name their targets in the body, get the same sweep per kind
(test_mutations.py).
"""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from tests.backend.authz.routes import ROUTES, Access, refusals, rightful_caller
from tests.backend.authz.world import (
    ALICE_EMAIL,
    ALICE_FILE,
    MISSING,
    World,
    alice_untouched,
    call,
    check_refusal,
    fill,
    leaks,
)
from tests.backend.support import PNG
from tests.support import assert_problem


def app_routes(api: FastAPI) -> set[str]:
    """Every "METHOD /path" the app answers (HEAD comes with GET), documented or not."""
    found = set()
    for route in iter_route_contexts(api.routes):
        for method in route.methods or ():
            if method != "HEAD":
                found.add(f"{method} {route.path}")
    return found


def test_every_route_is_classified(hub_app: FastAPI) -> None:
    documented = {
        f"{method.upper()} {path}"
        for path, operations in hub_app.openapi()["paths"].items()
        for method in operations
    }
    routes = app_routes(hub_app)
    assert documented <= routes, "the OpenAPI document and the routes disagree"
    assert sorted(routes - ROUTES.keys()) == [], "new routes: classify them in ROUTES"
    assert sorted(ROUTES.keys() - routes) == [], "routes that no longer exist"


@pytest.mark.parametrize("key", sorted(ROUTES))
async def test_route_refuses_every_wrong_caller(world: World, key: str) -> None:
    route = ROUTES[key]
    wrong: list[str] = []
    scheme = "device" if route.access is Access.device else "bearer"
    for name, status_code in refusals(route).items():
        reply = await call(world, key, route, world.callers[name])
        wrong += check_refusal(world, f"{key} [{name}]", reply, status_code, scheme)
    wrong += await alice_untouched(world)
    # The request is right: the rightful caller gets through (last, as it may change
    # things, such as signing out or erasing the account).
    rightful = rightful_caller(route)
    reply = await call(world, key, route, world.callers[rightful])
    if reply.status != route.ok:
        wrong.append(f"{key} [{rightful}]: {reply.status}, expected {route.ok}: {reply.text}")
    assert wrong == [], "\n".join(wrong)


# A code works once (the sweep signs in with it), so verify is left out here.
PUBLIC = sorted(k for k, r in ROUTES.items() if r.access is Access.public and "verify" not in k)
GUARDED = sorted(k for k, r in ROUTES.items() if r.access is not Access.public)


@pytest.mark.parametrize("key", PUBLIC)
async def test_public_route_ignores_tokens(world: World, key: str) -> None:
    """Anyone means anyone: a bad or foreign token neither blocks nor changes a public
    answer into something else."""
    route = ROUTES[key]
    for name in ("forged token", "expired token", "operator, every scope"):
        reply = await call(world, key, route, world.callers[name])
        assert reply.status == route.ok, (name, reply.text)
        assert leaks(world, reply) == [], name


@pytest.mark.parametrize("key", GUARDED)
async def test_the_token_is_checked_before_the_request(world: World, key: str) -> None:
    """Without a valid token, a request of the wrong shape is still a 401: nobody learns
    what a guarded endpoint accepts before signing in. (Text that is not JSON at all gets
    400 first: FastAPI parses JSON before it resolves dependencies, which tells nothing.)"""
    method, path = key.split()[0], fill(ROUTES[key].path, world.ids)
    for name in ("no token", "forged token", "expired operator"):
        response = await world.client.request(
            method,
            f"{path}?limit=-1&cursor=x",
            headers={**world.callers[name], "content-type": "application/json"},
            content=b'{"not": ["what", "it", "takes"], "mutations": 7}',
        )
        assert_problem(response, 401)


# Customer routes that name one of Alice's objects: Bob gets what a missing id gets.
OWNED = sorted(k for k, r in ROUTES.items() if r.owned)


@pytest.mark.parametrize("key", OWNED)
async def test_another_customers_object_looks_missing(world: World, key: str) -> None:
    route = ROUTES[key]
    theirs = await call(world, key, route, world.bob)
    missing = await call(
        World(world.client, world.api, world.db, world.alice, world.bob, {**world.ids, **MISSING}),
        key,
        route,
        world.bob,
    )
    assert check_refusal(world, key, theirs, 404) == []
    assert_problem(httpx.Response(missing.status, headers=missing.headers, text=missing.text), 404)
    # Not even a different word: the answer for Alice's id is the one for no id at all.
    assert theirs.json() == missing.json()
    assert theirs.headers.get("content-type") == missing.headers.get("content-type")
    assert await alice_untouched(world) == []


# Customer routes without an id: Bob gets his own (empty) data, none of Alice's.
OWN_DATA = [
    "GET /v1/me",
    "GET /v1/me/export",
    "GET /v1/sync/pull",
    "GET /v1/cases",
    "GET /v1/callbacks",
    "GET /v1/events",
]


@pytest.mark.parametrize("key", OWN_DATA)
async def test_another_customer_sees_only_their_own(world: World, key: str) -> None:
    reply = await call(world, key, ROUTES[key], world.bob)
    assert reply.status == 200, reply.text
    assert leaks(world, reply) == []


async def test_another_customer_erasing_their_account_leaves_alices(world: World) -> None:
    assert (await world.client.delete("/v1/me", headers=world.bob)).status_code == 204
    assert await alice_untouched(world) == []
    mine = await world.client.get("/v1/me", headers=world.alice)
    assert mine.json()["email"] == ALICE_EMAIL


async def test_an_upload_under_alices_key_is_bobs_own(world: World) -> None:
    """Idempotency keys of uploads are per customer: Bob reusing Alice's gets a new file
    of his own, never hers."""
    key = "alice-upload-key"
    files = {"file": (ALICE_FILE, PNG, "image/png")}
    alices = await world.client.post(
        "/v1/attachments", headers={**world.alice, "Idempotency-Key": key}, files=files
    )
    bobs = await world.client.post(
        "/v1/attachments",
        headers={**world.bob, "Idempotency-Key": key},
        files={"file": ("bob.png", PNG, "image/png")},
    )
    assert alices.status_code == bobs.status_code == 201, bobs.text
    assert bobs.json()["id"] != alices.json()["id"]
    assert bobs.json()["filename"] == "bob.png"
