"""The authorization matrix: every route of the hub, classified, against every kind of
caller that must be refused.

test_isolation.py shows specific cross-customer cases in depth; this file is the
systematic sweep. Each route is listed in ROUTES with who may call it and one request
that succeeds for the right caller. The route list is compared with the app's own routes,
so a new endpoint fails here until it is classified. Then every customer, sign-in and
operator route is called with each CALLER below, and must be refused with:

- 401 and `WWW-Authenticate: Bearer`: no token, a malformed one, or one that is revoked,
  expired or belongs to an erased account (DESIGN.md: "401 means sign in again");
- 403: a live token of the wrong kind (an operator on a customer endpoint, a customer
  on an operator endpoint) or an operator token without the endpoint's scope;
- 404 exactly like a missing id: another customer's case, callback or attachment.

Refusals change nothing, and no response (body or headers) carries the first customer's
data. Push mutations, which name their targets in the body, get the same sweep per kind.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from sqlalchemy import func, select, update
from starlette.types import Message

from app.backend.crud import auth, cases, status
from app.backend.db import Database
from app.backend.db.tables import mutations, tokens
from app.backend.util import format_time, now
from app.schemas import Impact
from tests.backend.test_isolation import ALICE_PHONE, PNG, SECRET, alices_first_push, upload
from tests.conftest import ALWAYS_OPEN, Company, assert_problem, mutation, push, sign_in

ALICE_EMAIL = "alice.matrix@example.com"
ALICE_FILE = "alice-boarding-pass.png"


class Access(Enum):
    public = "anyone"
    signed_in = "any live token"
    customer = "customer token"
    operator = "operator token with a scope"


@dataclass(frozen=True)
class Route:
    """Who may call a route, and one request that succeeds for them. `path` and `json`
    may name the world's ids as {case}, {callback}, {attachment}, {incident}, {token_id},
    {erin_code}; `upload` sends a file as multipart."""

    access: Access
    path: str
    ok: int = 200
    scope: str | None = None
    json: dict[str, Any] | None = None
    upload: bool = False
    # Routes whose path names one of the customer's own objects.
    owned: bool = False


def public(path: str, ok: int = 200, **json: Any) -> Route:
    return Route(Access.public, path, ok, json=json or None)


def customer(path: str, ok: int = 200, **kwargs: Any) -> Route:
    return Route(Access.customer, path, ok, **kwargs)


def operator(scope: str, path: str, ok: int = 200, **json: Any) -> Route:
    return Route(Access.operator, path, ok, scope=scope, json=json or None)


ROUTES: dict[str, Route] = {
    # Anyone: status, help centre, queues, the API's own documents.
    "GET /healthz": public("/healthz"),
    "GET /openapi.json": public("/openapi.json"),
    "GET /docs": public("/docs"),
    "GET /docs/oauth2-redirect": public("/docs/oauth2-redirect"),
    "GET /redoc": public("/redoc"),
    "GET /v1/status": public("/v1/status"),
    "GET /api/v2/summary.json": public("/api/v2/summary.json"),
    "GET /v1/incidents": public("/v1/incidents"),
    "GET /v1/incidents/{incident_id}": public("/v1/incidents/{incident}"),
    "GET /v1/kb/changes": public("/v1/kb/changes"),
    "GET /v1/kb/articles": public("/v1/kb/articles"),
    "GET /v1/kb/articles/{slug}": public("/v1/kb/articles/lost-bag"),
    "GET /v1/kb/categories": public("/v1/kb/categories"),
    "GET /v1/callbacks/queues": public("/v1/callbacks/queues"),
    "GET /v1/callbacks/availability": public("/v1/callbacks/availability?queue=help"),
    "GET /v1/push/key": public("/v1/push/key"),
    # Signing in needs no token; signing out needs a live one of either kind.
    "POST /v1/auth/start": public("/v1/auth/start", 202, email="new.matrix@example.com"),
    "POST /v1/auth/verify": public(
        "/v1/auth/verify", email="erin.matrix@example.com", code="{erin_code}"
    ),
    "POST /v1/auth/logout": Route(Access.signed_in, "/v1/auth/logout", 204),
    # The signed-in customer's own data.
    "GET /v1/me": customer("/v1/me"),
    "DELETE /v1/me": customer("/v1/me", 204),
    "GET /v1/me/export": customer("/v1/me/export"),
    "GET /v1/sync/pull": customer("/v1/sync/pull"),
    "POST /v1/sync/push": customer("/v1/sync/push", json={"client_id": "matrix", "mutations": []}),
    "GET /v1/cases": customer("/v1/cases"),
    "GET /v1/cases/{case_id}": customer("/v1/cases/{case}", owned=True),
    "POST /v1/attachments": customer("/v1/attachments", 201, upload=True),
    "GET /v1/attachments/{attachment_id}": customer("/v1/attachments/{attachment}", owned=True),
    "GET /v1/callbacks": customer("/v1/callbacks"),
    "GET /v1/callbacks/{callback_id}": customer("/v1/callbacks/{callback}", owned=True),
    "GET /v1/events": customer("/v1/events"),
    # Operators, each behind one scope.
    "POST /v1/admin/incidents": operator(
        "status", "/v1/admin/incidents", 201, title="Fog", impact="minor", body="Slow."
    ),
    "POST /v1/admin/incidents/{incident_id}/updates": operator(
        "status", "/v1/admin/incidents/{incident}/updates", status="identified", body="Found."
    ),
    "PUT /v1/admin/components/{component_id}/status": operator(
        "status", "/v1/admin/components/baggage/status", status="major_outage"
    ),
    "GET /v1/admin/cases": operator("cases", "/v1/admin/cases"),
    "POST /v1/admin/cases/{case_id}/replies": operator(
        "cases", "/v1/admin/cases/{case}/replies", body="We are on it."
    ),
    "PUT /v1/admin/cases/{case_id}/status": operator(
        "cases", "/v1/admin/cases/{case}/status", status="open"
    ),
    "GET /v1/admin/attachments/{attachment_id}": operator(
        "cases", "/v1/admin/attachments/{attachment}"
    ),
    "GET /v1/admin/callbacks": operator("callbacks", "/v1/admin/callbacks"),
    "PUT /v1/admin/callbacks/{callback_id}/status": operator(
        "callbacks", "/v1/admin/callbacks/{callback}/status", status="missed"
    ),
    "PUT /v1/admin/queues/{queue_id}/hours": operator(
        "callbacks", "/v1/admin/queues/help/hours", 204, hours=ALWAYS_OPEN
    ),
    "PUT /v1/admin/queues/{queue_id}/staffing": operator(
        "callbacks",
        "/v1/admin/queues/help/staffing",
        204,
        starts_at="{in_an_hour}",
        ends_at="{in_two_hours}",
        agents=2,
    ),
    "PUT /v1/admin/kb/articles/{locale}/{slug}": operator(
        "kb", "/v1/admin/kb/articles/en/new-one", title="New", body="Body", category="baggage"
    ),
    "DELETE /v1/admin/kb/articles/{locale}/{slug}": operator(
        "kb", "/v1/admin/kb/articles/en/bag-fees", 204
    ),
    "POST /v1/admin/tokens": operator("tokens", "/v1/admin/tokens", 201, scopes=["kb"]),
    "GET /v1/admin/tokens": operator("tokens", "/v1/admin/tokens"),
    "DELETE /v1/admin/tokens/{token_id}": operator("tokens", "/v1/admin/tokens/{token_id}", 204),
}


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


# ----------------------------------------------------------------------------------------
# The world: Alice with a case, a callback and an attachment; Bob, who tries to reach
# them; Alice's old tokens (revoked, expired); operators with and without each scope.


@dataclass
class World:
    client: httpx.AsyncClient
    api: FastAPI
    db: Database
    alice: dict[str, str]
    bob: dict[str, str]
    ids: dict[str, str]
    callers: dict[str, dict[str, str]] = field(default_factory=dict)
    # Push mutations recorded while setting up (Alice's three).
    recorded: int = 0

    def private(self) -> dict[str, str]:
        """Alice's data that no one else may see, by what it is."""
        return {
            "email": ALICE_EMAIL,
            "subject": SECRET,
            "secret part": "NW-7QX",
            "phone": ALICE_PHONE,
            "file name": ALICE_FILE,
            "customer id": self.ids["alice_id"],
            "case id": self.ids["case"],
            "callback id": self.ids["callback"],
            "attachment id": self.ids["attachment"],
            "case ref": "alice-case-1",
            "token": self.alice["Authorization"].split()[-1],
        }


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def expire(db: Database, token: str) -> None:
    """Expire a token the way time would: its expiry moves into the past."""
    with db.write() as conn:
        found = auth.resolve_token(conn, token=token)
        assert found is not None
        conn.execute(
            update(tokens)
            .where(tokens.c.id == found.token_id)
            .values(expires_at=format_time(now() - timedelta(seconds=1)))
        )


def operator_token(db: Database, scopes: list[str]) -> str:
    with db.write() as conn:
        return auth.create_operator_token(conn, scopes=scopes, label="matrix")


@pytest.fixture
async def world(
    client: httpx.AsyncClient, hub_app: FastAPI, db: Database, company: Company
) -> World:
    alice = await sign_in(client, db, ALICE_EMAIL)
    bob = await sign_in(client, db, "bob.matrix@example.com")
    attachment = await upload(client, alice, ALICE_FILE)
    opened, booked, _ = await push(client, alice, *alices_first_push(company.queue_id, attachment))
    assert opened["status"] == booked["status"] == "applied", (opened, booked)
    with db.write() as conn:
        incident = status.publish_incident(
            conn, title="Snow", impact=Impact.major, components_affected=["baggage"], body="Slow"
        )
        spare_token = auth.create_operator_token(conn, scopes=["kb"], label="spare")
        spare_id = next(t["id"] for t in auth.list_tokens(conn) if t["label"] == "spare")
    assert spare_token
    await client.post("/v1/auth/start", json={"email": "erin.matrix@example.com"})
    with db.read() as conn:
        erin_code = next(
            c["code"] for c in auth.pending_codes(conn) if c["email"] == "erin.matrix@example.com"
        )
    alice_id = (await client.get("/v1/me", headers=alice)).json()["id"]
    moment = (now() + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    ids = {
        "alice_id": alice_id,
        "case": opened["entity"]["id"],
        "callback": booked["entity"]["id"],
        "attachment": attachment,
        "incident": incident.id,
        "token_id": spare_id,
        "erin_code": erin_code,
        "in_an_hour": moment.isoformat(),
        "in_two_hours": (moment + timedelta(hours=1)).isoformat(),
    }
    built = World(client, hub_app, db, alice, bob, ids)
    built.callers = await callers(built)
    with db.read() as conn:
        built.recorded = conn.execute(select(func.count()).select_from(mutations)).scalar_one()
    return built


async def callers(w: World) -> dict[str, dict[str, str]]:
    """The Authorization headers of every caller kind, by name."""
    client, db = w.client, w.db
    # Alice's own earlier sessions: one signed out, one past its expiry.
    revoked = await sign_in(client, db, ALICE_EMAIL)
    assert (await client.post("/v1/auth/logout", headers=revoked)).status_code == 204
    expired = await sign_in(client, db, ALICE_EMAIL)
    expire(db, expired["Authorization"].split()[-1])
    # A customer who erased their account, keeping the token they had.
    erased = await sign_in(client, db, "zoe.matrix@example.com")
    assert (await client.delete("/v1/me", headers=erased)).status_code == 204
    every_scope = sorted(auth.OPERATOR_SCOPES)
    revoked_operator = operator_token(db, every_scope)
    with db.write() as conn:
        found = auth.resolve_token(conn, token=revoked_operator)
        assert found is not None
        auth.revoke_token(conn, token_id=found.token_id)
    expired_operator = operator_token(db, every_scope)
    expire(db, expired_operator)
    alice_token = w.alice["Authorization"].split()[-1]
    found_callers = {
        "no token": {},
        "empty bearer": {"Authorization": "Bearer"},
        "forged token": bearer(f"clc_{uuid.uuid4().hex}{uuid.uuid4().hex}"),
        "forged operator token": bearer(f"clo_{uuid.uuid4().hex}"),
        "basic auth": {"Authorization": "Basic YWxpY2U6aHVudGVyMg=="},
        "token without scheme": {"Authorization": alice_token},
        "token with a typo": bearer(alice_token[:-1] + ("A" if alice_token[-1] != "A" else "B")),
        "revoked token": revoked,
        "expired token": expired,
        "erased account": erased,
        "revoked operator": bearer(revoked_operator),
        "expired operator": bearer(expired_operator),
        "operator, every scope": bearer(operator_token(db, every_scope)),
        "customer": w.alice,
        "another customer": w.bob,
    }
    for scope in every_scope:
        others = [s for s in every_scope if s != scope]
        found_callers[f"operator without {scope}"] = bearer(operator_token(db, others))
    return found_callers


UNAUTHENTICATED = [
    "no token",
    "empty bearer",
    "forged token",
    "forged operator token",
    "basic auth",
    "token without scheme",
    "token with a typo",
    "revoked token",
    "expired token",
    "erased account",
    "revoked operator",
    "expired operator",
]


def refusals(route: Route) -> dict[str, int]:
    """Each caller that `route` must refuse, with the status it must answer."""
    if route.access is Access.public:
        return {}
    expected = dict.fromkeys(UNAUTHENTICATED, 401)
    if route.access is Access.customer:
        expected["operator, every scope"] = 403
    if route.access is Access.operator:
        expected["customer"] = 403
        expected["another customer"] = 403
        expected[f"operator without {route.scope}"] = 403
    return expected


def rightful_caller(route: Route) -> str:
    return {
        Access.public: "no token",
        Access.signed_in: "customer",
        Access.customer: "customer",
        Access.operator: "operator, every scope",
    }[route.access]


# ----------------------------------------------------------------------------------------
# Sending one request, and what every answer must (not) contain.


@dataclass(frozen=True)
class Reply:
    status: int
    headers: httpx.Headers
    text: str
    # What the caller sent (path and body): naming an id there is not learning it.
    request: str

    def json(self) -> Any:
        return httpx.Response(self.status, headers=self.headers, text=self.text).json()


def fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**ids) if "{" in value else value
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    return value


async def call(w: World, key: str, route: Route, headers: dict[str, str]) -> Reply:
    method = key.split()[0]
    path = fill(route.path, w.ids)
    if path == "/v1/events":
        return await open_stream(w, headers)
    files = {"file": ("matrix.png", PNG, "image/png")} if route.upload else None
    body = fill(route.json, w.ids)
    response = await w.client.request(method, path, headers=headers, json=body, files=files)
    return Reply(response.status_code, response.headers, response.text, f"{path} {body}")


async def open_stream(w: World, headers: dict[str, str]) -> Reply:
    """An event stream never ends, so it is called at the ASGI level: the answer is read
    up to its first body chunk, then the request is dropped."""
    started: asyncio.Queue[Message] = asyncio.Queue()
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/v1/events",
        "raw_path": b"/v1/events",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"hub.test"), *raw],
        "client": ("127.0.0.1", 50_000),
        "server": ("hub.test", 80),
    }
    sent_request = False

    async def receive() -> Message:
        nonlocal sent_request
        if not sent_request:
            sent_request = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        await started.put(message)

    task = asyncio.create_task(w.api(scope, receive, send))
    try:
        start = await asyncio.wait_for(started.get(), 10)
        body = await asyncio.wait_for(started.get(), 10)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await w.api.state.hub.events.stop()
    response_headers = httpx.Headers([(k.decode(), v.decode()) for k, v in start["headers"]])
    return Reply(start["status"], response_headers, body.get("body", b"").decode(), "/v1/events")


def leaks(w: World, reply: Reply) -> list[str]:
    """Alice's private data in an answer to someone else, except what the request itself
    named (an id the caller sent is their own words, not a leak)."""
    seen = reply.text + "\n" + "\n".join(f"{k}: {v}" for k, v in reply.headers.items())
    return [
        what for what, value in w.private().items() if value in seen and value not in reply.request
    ]


def check_refusal(w: World, label: str, reply: Reply, expected: int) -> list[str]:
    """What is wrong with a refusal, as readable lines (empty when right)."""
    wrong = []
    if reply.status != expected:
        wrong.append(f"{label}: {reply.status}, expected {expected}: {reply.text[:200]}")
        return wrong
    if not reply.headers.get("content-type", "").startswith("application/problem+json"):
        wrong.append(f"{label}: not problem+json")
    elif reply.json().get("status") != expected:
        wrong.append(f"{label}: problem status {reply.json().get('status')}")
    challenge = reply.headers.get("www-authenticate", "")
    if expected == 401 and not challenge.lower().startswith("bearer"):
        wrong.append(f"{label}: 401 without 'WWW-Authenticate: Bearer'")
    if expected == 403 and challenge:
        wrong.append(f"{label}: 403 with a sign-in challenge")
    wrong += [f"{label}: body or headers show Alice's {what}" for what in leaks(w, reply)]
    return wrong


async def alice_untouched(w: World) -> list[str]:
    """Refused calls changed nothing of Alice's (her session stays valid too)."""
    wrong = []
    case = await w.client.get(f"/v1/cases/{w.ids['case']}", headers=w.alice)
    if case.status_code != 200:
        return [f"Alice lost her case or session: {case.status_code} {case.text[:200]}"]
    if case.json()["status"] != "new" or case.json()["messages"] != []:
        wrong.append(f"Alice's case changed: {case.json()}")
    callback = await w.client.get(f"/v1/callbacks/{w.ids['callback']}", headers=w.alice)
    if callback.json()["status"] != "requested":
        wrong.append(f"Alice's callback changed: {callback.json()}")
    attachment = await w.client.get(f"/v1/attachments/{w.ids['attachment']}", headers=w.alice)
    if attachment.content != PNG:
        wrong.append("Alice's attachment changed")
    return wrong


# ----------------------------------------------------------------------------------------
# The sweep over routes.


@pytest.mark.parametrize("key", sorted(ROUTES))
async def test_route_refuses_every_wrong_caller(world: World, key: str) -> None:
    route = ROUTES[key]
    wrong: list[str] = []
    for name, status_code in refusals(route).items():
        reply = await call(world, key, route, world.callers[name])
        wrong += check_refusal(world, f"{key} [{name}]", reply, status_code)
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
MISSING = {
    "case": "case_0000000000000000",
    "callback": "cb_0000000000000000",
    "attachment": "att_0000000000000000",
}


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


# ----------------------------------------------------------------------------------------
# The sweep over push mutations: each kind, with Alice's ids in its arguments.


@dataclass(frozen=True)
class Mutation:
    args: dict[str, Any]
    # Bob naming Alice's object is refused with this code, exactly as for a missing id;
    # None: the mutation names nothing of anyone else's and is applied to Bob's own data.
    refused_as: str | None = None


def slot(hours: int) -> str:
    moment = datetime.now(UTC) + timedelta(hours=hours)
    return moment.replace(minute=0, second=0, microsecond=0).isoformat()


MUTATIONS: dict[str, Mutation] = {
    "case.open": Mutation(
        {"subject": "Mine", "description": "x", "attachments": ["{attachment}"]},
        "unknown_attachment",
    ),
    "case.reply": Mutation({"case": "{case}", "body": "Bob was here"}, "not_found"),
    "case.close": Mutation({"case": "{case}"}, "not_found"),
    "callback.request": Mutation(
        {"queue": "help", "mode": "asap", "phone": "+13125550100", "case": "{case}"},
        "not_found",
    ),
    "callback.cancel": Mutation({"callback": "{callback}"}, "not_found"),
    "callback.reschedule": Mutation(
        {"callback": "{callback}", "slot_start": slot(26)}, "not_found"
    ),
    "article.feedback": Mutation({"article": "lost-bag", "helpful": False}),
    "subscriptions.set": Mutation({"keys": ["BOB-KEY"], "components": []}),
    "device.register": Mutation(
        {"platform": "webpush", "endpoint": "https://push.example.com/bob"}
    ),
}


def test_every_mutation_kind_is_in_the_sweep() -> None:
    from app.schemas import MutationName

    assert sorted(MUTATIONS) == sorted(name.value for name in MutationName)


def push_body(name: str, args: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    return {"client_id": "matrix", "mutations": [mutation(name, **fill(args, ids))]}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
async def test_mutation_refuses_every_wrong_caller(world: World, name: str) -> None:
    """The push is refused as a whole before any mutation runs."""
    spec, wrong = MUTATIONS[name], []
    for caller, status_code in refusals(ROUTES["POST /v1/sync/push"]).items():
        body = push_body(name, spec.args, world.ids)
        response = await world.client.post(
            "/v1/sync/push", headers=world.callers[caller], json=body
        )
        reply = Reply(response.status_code, response.headers, response.text, str(body))
        wrong += check_refusal(world, f"{name} [{caller}]", reply, status_code)
    wrong += await alice_untouched(world)
    with world.db.read() as conn:
        everyone, _ = cases.list_cases(conn, limit=100)
        applied = conn.execute(select(func.count()).select_from(mutations)).scalar_one()
    if [c.id for c in everyone] != [world.ids["case"]]:
        wrong.append(f"{name}: a refused push opened a case")
    if applied != world.recorded:
        wrong.append(f"{name}: a refused push was recorded ({applied} mutations)")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("name", sorted(MUTATIONS))
async def test_mutation_naming_alices_object_is_refused_as_missing(world: World, name: str) -> None:
    spec = MUTATIONS[name]

    async def bob_pushes(ids: dict[str, str]) -> dict[str, Any]:
        body = push_body(name, spec.args, ids)
        response = await world.client.post("/v1/sync/push", headers=world.bob, json=body)
        assert response.status_code == 200, response.text
        reply = Reply(response.status_code, response.headers, response.text, str(body))
        assert leaks(world, reply) == []
        result: dict[str, Any] = response.json()["results"][0]
        return result

    theirs = await bob_pushes(world.ids)
    if spec.refused_as is None:
        assert theirs["status"] == "applied", theirs
        assert leaks(world, Reply(200, httpx.Headers(), str(theirs), "")) == []
    else:
        missing = await bob_pushes({**world.ids, **MISSING})
        assert theirs["status"] == missing["status"] == "rejected", (theirs, missing)
        assert theirs["error"]["code"] == spec.refused_as, theirs
        # The same words as for an id that does not exist.
        assert theirs["error"] == missing["error"]
    assert await alice_untouched(world) == []
    pulled = (await world.client.get("/v1/sync/pull", headers=world.alice)).json()
    subscriptions = [c for c in pulled["changes"] if c["entity"] == "subscriptions"]
    assert subscriptions[-1]["data"]["keys"] == ["ALICE-KEY"], "Alice's alerts changed"
