"""Sign-in with one-time codes, bearer tokens, and the limits that protect them."""

from __future__ import annotations

import smtplib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from app.backend.crud.sign_in import pending_codes
from app.backend.db import Database
from app.backend.db.tables import auth_codes, tokens
from app.backend.main import create_app
from app.backend.settings import HubSettings, RateLimit
from app.backend.util import format_time, now
from app.schemas.customers import SIGN_IN_CODE_DIGITS
from tests.backend.support import begin, pending_code, retry_after, start, verify
from tests.support import assert_problem, bearer, mutation, sign_in


@asynccontextmanager
async def custom_hub(
    settings: HubSettings, **overrides: Any
) -> AsyncIterator[tuple[httpx.AsyncClient, Database]]:
    """A hub on the test database with some settings changed (e.g. tight rate limits)."""
    api = create_app(settings.with_overrides(**overrides))
    transport = httpx.ASGITransport(app=api)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as c:
            yield c, api.state.hub.db
    finally:
        api.state.hub.db.dispose()


async def test_start_accepts_and_tells_how_long_the_code_lasts(
    client: httpx.AsyncClient, db: Database, settings: HubSettings
) -> None:
    response = await start(client, "carol@example.com")
    assert response.status_code == 202
    assert response.json()["expires_in"] == settings.code_ttl_seconds
    # Same answer for a known customer: the endpoint does not reveal who has an account.
    await sign_in(client, db, "dave@example.com")
    known = await start(client, "dave@example.com")
    assert known.status_code == 202
    assert known.json().keys() == response.json().keys()
    assert known.json()["attempt"] != response.json()["attempt"]
    assert {**known.json(), "attempt": ""} == {**response.json(), "attempt": ""}


async def test_first_sign_in_creates_customer_and_later_ones_reuse_it(
    client: httpx.AsyncClient, db: Database
) -> None:
    attempt = await begin(client, "Carol@Example.COM")
    first = await verify(client, "carol@example.com", attempt, pending_code(db, attempt))
    assert first.status_code == 200, first.text
    session = first.json()
    assert session["customer"]["email"] == "carol@example.com"
    assert session["token"]
    me = await client.get("/v1/me", headers=bearer(session["token"]))
    assert me.status_code == 200
    assert me.json()["id"] == session["customer"]["id"]
    assert me.json()["email"] == "carol@example.com"

    again = await sign_in(client, db, "CAROL@example.com")
    me_again = await client.get("/v1/me", headers=again)
    assert me_again.json()["id"] == session["customer"]["id"]
    assert again["Authorization"] != f"Bearer {session['token']}"
    # The first token stays valid after a second sign-in.
    assert (await client.get("/v1/me", headers=bearer(session["token"]))).status_code == 200


async def test_logout_revokes_the_token(client: httpx.AsyncClient, db: Database) -> None:
    first = await sign_in(client, db, "carol@example.com")
    second = await sign_in(client, db, "carol@example.com")
    logout = await client.post("/v1/auth/logout", headers=first)
    assert logout.status_code == 204
    response = await client.get("/v1/me", headers=first)
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].lower().startswith("bearer")
    assert_problem(await client.post("/v1/auth/logout", headers=first), 401)
    assert (await client.get("/v1/me", headers=second)).status_code == 200


async def test_expired_token_is_refused(client: httpx.AsyncClient, db: Database) -> None:
    headers = await sign_in(client, db, "carol@example.com")
    assert (await client.get("/v1/me", headers=headers)).status_code == 200
    with db.write() as conn:
        conn.execute(
            update(tokens)
            .where(tokens.c.kind == "customer")
            .values(expires_at=format_time(now() - timedelta(seconds=1)))
        )
    response = await client.get("/v1/me", headers=headers)
    assert_problem(response, 401)
    assert "www-authenticate" in response.headers


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer ", "Bearer clc_not-a-real-token", "Basic YWxpY2U6c2VjcmV0", "clc_x"],
)
async def test_missing_or_unknown_token_is_401(
    client: httpx.AsyncClient, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = await client.get("/v1/me", headers=headers)
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].lower().startswith("bearer")


async def test_tokens_are_random_and_stored_hashed(client: httpx.AsyncClient, db: Database) -> None:
    raw = [(await sign_in(client, db, f"c{i}@example.com"))["Authorization"][7:] for i in (1, 2)]
    assert raw[0] != raw[1]
    assert all(len(token) >= 32 for token in raw)
    with db.read() as conn:
        stored = [str(value) for row in conn.execute(select(tokens)) for value in row]
    assert stored
    for token in raw:
        assert not any(token in value for value in stored)
        assert not any(token.split("_", 1)[-1] in value for value in stored)


async def test_dev_mode_shows_pending_codes(
    client: httpx.AsyncClient, db: Database, settings: HubSettings
) -> None:
    assert settings.dev_mode
    attempt = await begin(client, "Carol@Example.com")
    with db.read() as conn:
        assert [c["email"] for c in pending_codes(conn)] == ["carol@example.com"]
    code = pending_code(db, attempt)
    assert len(code) == SIGN_IN_CODE_DIGITS == 8
    assert code.isdigit()
    assert (await verify(client, "carol@example.com", attempt, code)).status_code == 200
    with db.read() as conn:
        assert not [c for c in pending_codes(conn) if c["email"] == "carol@example.com"]


async def test_with_smtp_no_plain_code_is_stored(
    settings: HubSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[tuple[str, str]] = []

    def capture(_settings: HubSettings, *, email: str, code: str, **_: object) -> None:
        sent.append((email, code))

    monkeypatch.setattr("app.backend.routes.auth.send_sign_in_code", capture)
    async with custom_hub(settings, smtp_host="smtp.example.invalid") as (client, db):
        attempt = await begin(client, "Carol@Example.com")
        assert [email for email, _ in sent] == ["carol@example.com"]
        code = sent[0][1]
        with db.read() as conn:
            assert pending_codes(conn) == []
            rows = conn.execute(select(auth_codes)).all()
        assert [row.dev_code for row in rows] == [None]
        # Neither the code nor the attempt id is stored as it is.
        for secret in (code, attempt):
            assert not any(secret in str(value) for row in rows for value in row)
        assert (await verify(client, "carol@example.com", attempt, code)).status_code == 200


@pytest.mark.parametrize(
    "error", [ConnectionRefusedError("smtp down"), smtplib.SMTPServerDisconnected("gone")]
)
async def test_smtp_failure_is_503_with_retry_after(
    settings: HubSettings, monkeypatch: pytest.MonkeyPatch, error: OSError
) -> None:
    def fail(_settings: HubSettings, *, email: str, code: str, **_: object) -> None:
        raise error

    monkeypatch.setattr("app.backend.routes.auth.send_sign_in_code", fail)
    async with custom_hub(settings, smtp_host="smtp.example.invalid") as (client, _db):
        response = await start(client, "carol@example.com")
        assert_problem(response, 503)
        retry_after(response)


async def test_sign_in_is_rate_limited_per_email_and_address(settings: HubSettings) -> None:
    """One address cannot flood an inbox; nor can it use up another address's chances to
    ask for a code for the same email."""
    limited = settings.with_overrides(sign_in_per_email=RateLimit(2, 900))
    # Clients 0 and 2 reach the same hub process (the limits are kept in memory).
    addresses = ["203.0.113.1", "203.0.113.9", "203.0.113.2"]
    async with hub_clients(limited, addresses) as (clients, _db):
        for _ in range(2):
            assert (await start(clients[0], "carol@example.com")).status_code == 202
        for email in ("carol@example.com", "CAROL@Example.com"):
            response = await start(clients[0], email)
            assert_problem(response, 429)
            assert retry_after(response) <= 900
        assert (await start(clients[0], "dave@example.com")).status_code == 202
        assert (await start(clients[2], "carol@example.com")).status_code == 202


async def test_sign_in_is_rate_limited_per_client(settings: HubSettings) -> None:
    async with custom_hub(settings, sign_in_per_client=RateLimit(3, 900)) as (client, db):
        a = await begin(client, "a@example.com")
        b = await begin(client, "b@example.com")
        assert (await verify(client, "a@example.com", a, pending_code(db, a))).status_code == 200
        for response in (
            await start(client, "c@example.com"),
            await verify(client, "b@example.com", b, pending_code(db, b)),
        ):
            assert_problem(response, 429)
            assert retry_after(response) <= 900


async def test_pushes_are_rate_limited_per_customer(settings: HubSettings) -> None:
    async with custom_hub(settings, writes_per_customer=RateLimit(2, 60)) as (client, db):
        carol = await sign_in(client, db, "carol@example.com")
        dave = await sign_in(client, db, "dave@example.com")

        async def push_one(headers: dict[str, str]) -> httpx.Response:
            vote = mutation("article.feedback", article="any", helpful=True)
            return await client.post(
                "/v1/sync/push", headers=headers, json={"client_id": "d", "mutations": [vote]}
            )

        assert (await push_one(carol)).status_code == 200
        assert (await push_one(carol)).status_code == 200
        response = await push_one(carol)
        assert_problem(response, 429)
        assert retry_after(response) <= 60
        # Uploads count as writes too.
        files = {"file": ("a.txt", b"hello", "text/plain")}
        assert_problem(await client.post("/v1/attachments", headers=carol, files=files), 429)
        assert (await push_one(dave)).status_code == 200


@pytest.mark.parametrize(
    "email",
    ["not-an-email", "a@b", "", "two@@example.com", "sp ace@example.com", "x" * 250 + "@ex.com"],
)
async def test_malformed_email_is_422_with_errors(client: httpx.AsyncClient, email: str) -> None:
    for path, body in (
        ("/v1/auth/start", {"email": email}),
        ("/v1/auth/verify", {"email": email, "attempt": "A" * 32, "code": "12345678"}),
    ):
        problem = assert_problem(await client.post(path, json=body), 422)
        assert ["body", "email"] in [error["loc"] for error in problem["errors"]]


@asynccontextmanager
async def hub_clients(
    settings: HubSettings, addresses: list[str]
) -> AsyncIterator[tuple[list[httpx.AsyncClient], Database]]:
    """Two hub processes on one database, reached from each client address in turn:
    client i talks to hub i % 2 from `addresses[i]`."""
    apis = [create_app(settings), create_app(settings)]
    clients = [
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=apis[i % 2], client=(address, 40_000)),
            base_url="http://hub.test",
        )
        for i, address in enumerate(addresses)
    ]
    try:
        yield clients, apis[0].state.hub.db
    finally:
        for client in clients:
            await client.aclose()
        for api in apis:
            api.state.hub.db.dispose()
