"""Sign-in codes: each bound to the attempt that asked for it, a few wrong codes per
attempt, a short life; malformed requests are 422."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update

from app.backend.crud.sign_in import pending_codes, start_sign_in
from app.backend.db import LATEST_VERSION, Database, migrate
from app.backend.db.migrations import MIGRATIONS
from app.backend.db.tables import auth_codes
from app.backend.settings import HubSettings
from app.backend.util import digest, format_time, now, parse_time
from tests.backend.support import begin, other_code, pending_code, retry_after, verify
from tests.support import assert_problem


async def test_code_works_only_once(client: httpx.AsyncClient, db: Database) -> None:
    attempt = await begin(client, "carol@example.com")
    code = pending_code(db, attempt)
    assert (await verify(client, "carol@example.com", attempt, code)).status_code == 200
    body = assert_problem(await verify(client, "carol@example.com", attempt, code), 401)
    assert body["title"] == "Code expired"


async def test_a_code_works_only_with_its_own_attempt_and_email(
    client: httpx.AsyncClient, db: Database
) -> None:
    first = await begin(client, "carol@example.com")
    second = await begin(client, "carol@example.com")
    dave = await begin(client, "dave@example.com")
    assert_problem(await verify(client, "carol@example.com", second, pending_code(db, first)), 401)
    assert_problem(await verify(client, "carol@example.com", dave, pending_code(db, dave)), 401)
    assert_problem(await verify(client, "dave@example.com", first, pending_code(db, first)), 401)
    # A new attempt leaves the earlier one valid.
    code = pending_code(db, first)
    assert (await verify(client, "carol@example.com", first, code)).status_code == 200
    code = pending_code(db, second)
    assert (await verify(client, "carol@example.com", second, code)).status_code == 200


async def test_one_address_keeps_its_newest_attempts_per_email(
    client: httpx.AsyncClient, db: Database, settings: HubSettings
) -> None:
    kept = settings.sign_in_attempts_per_client
    attempts = [await begin(client, "carol@example.com") for _ in range(kept + 1)]
    with db.read() as conn:
        assert not pending_codes(conn, attempt=attempts[0])
    for attempt in attempts[1:]:
        code = pending_code(db, attempt)
        assert (await verify(client, "carol@example.com", attempt, code)).status_code == 200


async def test_wrong_code_is_a_401_problem(client: httpx.AsyncClient, db: Database) -> None:
    attempt = await begin(client, "carol@example.com")
    code = pending_code(db, attempt)
    wrong = await verify(client, "carol@example.com", attempt, other_code(code))
    body = assert_problem(wrong, 401)
    assert body["title"] == "Wrong code"
    assert code not in str(body)
    assert (await verify(client, "carol@example.com", attempt, code)).status_code == 200


async def test_verify_without_any_code_issued_is_401(client: httpx.AsyncClient) -> None:
    response = await verify(client, "nobody@example.com", "A" * 32, "12345678")
    assert_problem(response, 401)


def attempts_made(db: Database, attempt: str) -> int:
    with db.read() as conn:
        row = conn.execute(
            select(auth_codes.c.attempts).where(auth_codes.c.attempt_hash == digest(attempt))
        ).one()
    return int(row.attempts)


async def test_too_many_wrong_codes_lock_the_attempt(
    client: httpx.AsyncClient, db: Database, settings: HubSettings
) -> None:
    email = "carol@example.com"
    attempt = await begin(client, email)
    code = pending_code(db, attempt)
    for tries in range(1, settings.code_max_attempts + 1):
        assert_problem(await verify(client, email, attempt, other_code(code)), 401)
        # Counted although the request failed (not rolled back with it).
        assert attempts_made(db, attempt) == tries
    body = assert_problem(await verify(client, email, attempt, code), 429)
    assert body["title"] == "Too many attempts"
    # A fresh code works again.
    attempt = await begin(client, email)
    assert (await verify(client, email, attempt, pending_code(db, attempt))).status_code == 200


async def test_lockout_429_carries_retry_after(
    client: httpx.AsyncClient, db: Database, settings: HubSettings
) -> None:
    """DESIGN.md: every 429 carries Retry-After."""
    attempt = await begin(client, "carol@example.com")
    code = pending_code(db, attempt)
    for _ in range(settings.code_max_attempts):
        await verify(client, "carol@example.com", attempt, other_code(code))
    response = await verify(client, "carol@example.com", attempt, code)
    assert_problem(response, 429)
    retry_after(response)


async def test_expired_code_is_refused(client: httpx.AsyncClient, db: Database) -> None:
    attempt = await begin(client, "carol@example.com")
    code = pending_code(db, attempt)
    with db.write() as conn:
        conn.execute(
            update(auth_codes)
            .where(auth_codes.c.email == "carol@example.com")
            .values(expires_at=format_time(now() - timedelta(seconds=1)))
        )
    body = assert_problem(await verify(client, "carol@example.com", attempt, code), 401)
    assert body["title"] == "Code expired"


@pytest.mark.parametrize(
    "code", ["123456", "1234567", "123456789", "abcdefgh", "", "\u0661" * 8, "1234 5678"]
)
async def test_malformed_code_is_422(client: httpx.AsyncClient, code: str) -> None:
    response = await verify(client, "carol@example.com", "A" * 32, code)
    problem = assert_problem(response, 422)
    assert ["body", "code"] in [error["loc"] for error in problem["errors"]]


@pytest.mark.parametrize("attempt", ["", "short", "A" * 65, "A" * 31 + "/", None])
async def test_missing_or_malformed_attempt_is_422(
    client: httpx.AsyncClient, attempt: str | None
) -> None:
    body = {"email": "carol@example.com", "code": "12345678"}
    if attempt is not None:
        body["attempt"] = attempt
    problem = assert_problem(await client.post("/v1/auth/verify", json=body), 422)
    assert ["body", "attempt"] in [error["loc"] for error in problem["errors"]]


async def test_a_code_lives_for_the_configured_minutes_only(
    client: httpx.AsyncClient, db: Database, settings: HubSettings
) -> None:
    """Short lived: the code's expiry is set from `code_ttl_seconds` (ten minutes by
    default); test_expired_code_is_refused shows it is enforced."""
    assert timedelta(seconds=settings.code_ttl_seconds) <= timedelta(minutes=15)
    await begin(client, "carol@example.com")
    with db.read() as conn:
        row = conn.execute(select(auth_codes.c.created_at, auth_codes.c.expires_at)).one()
    lifetime = parse_time(row.expires_at) - parse_time(row.created_at)
    ttl = timedelta(seconds=settings.code_ttl_seconds)
    assert ttl <= lifetime < ttl + timedelta(seconds=1)


def test_a_database_with_unbound_codes_is_migrated(settings: HubSettings) -> None:
    """Codes of the version before (six digits, no attempt) are dropped, not converted:
    they live minutes, and their customers ask again."""
    step = next(v for v, name, _ in MIGRATIONS if name.startswith("sign-in codes bound"))
    db = Database(settings.database_url)
    try:
        migrate(db)
        with db.write() as conn:
            conn.exec_driver_sql("DROP TABLE sign_in_failures")
            conn.exec_driver_sql("DROP TABLE auth_codes")
            conn.exec_driver_sql(
                "CREATE TABLE auth_codes (id INTEGER PRIMARY KEY, email VARCHAR(254) NOT NULL,"
                " code_hash VARCHAR(64) NOT NULL, dev_code VARCHAR(6), attempts INTEGER NOT"
                " NULL, expires_at VARCHAR(32) NOT NULL, used_at VARCHAR(32),"
                " created_at VARCHAR(32) NOT NULL)"
            )
            conn.exec_driver_sql(
                "INSERT INTO auth_codes VALUES (1, 'old@example.com', 'x', '123456', 0,"
                " '2999-01-01T00:00:00Z', NULL, '2026-01-01T00:00:00Z')"
            )
            conn.exec_driver_sql(
                f"UPDATE meta SET value = '{step - 1}' WHERE key = 'schema_version'"
            )
        assert migrate(db) == list(range(step, LATEST_VERSION + 1))
        with db.write() as conn:
            assert pending_codes(conn) == []
            started = start_sign_in(
                conn, email="new@example.com", client="192.0.2.1", settings=settings
            )
            codes = pending_codes(conn, attempt=started.attempt)
        assert [c["code"] for c in codes] == [started.code]
        assert len(started.code) == 8
    finally:
        db.dispose()
