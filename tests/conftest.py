"""Shared fixtures: hub databases on SQLite and PostgreSQL, an in-process hub client,
signed-in customers and operators, and a small company to test against."""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from app.backend.crud import auth, kb, queues, status
from app.backend.crud.sign_in import pending_codes
from app.backend.db import Database
from app.backend.main import create_app
from app.backend.settings import HubSettings, RateLimit, sqlite_url
from app.schemas import CallbackQueue, Category
from tests.hub_process import RealHub

PG_ENV = "CARELINE_TEST_DATABASE_URL"
BACKENDS = ["sqlite", "postgresql"]


def _with_search_path(url: str, schema: str) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty hub database: a SQLite file, or a new schema on PostgreSQL."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    base = os.environ.get(PG_ENV)
    if not base:
        if os.environ.get("CARELINE_REQUIRE_POSTGRES"):
            pytest.fail(f"{PG_ENV} is not set but CARELINE_REQUIRE_POSTGRES is")
        pytest.skip(f"PostgreSQL suite needs {PG_ENV} (set by .ci/run)")
    schema = f"t_{secrets.token_hex(6)}"
    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield _with_search_path(base, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[RealHub]:
    """A hub process with the demo company on SQLite."""
    real = RealHub(tmp_path / "hub")
    real.start()
    yield real
    real.stop()


@pytest.fixture
def real_hub(tmp_path: Path, database_url: str) -> Iterator[RealHub]:
    """A hub process with the demo company on this test's database."""
    hub = RealHub(tmp_path / "hub", database_url)
    hub.start()
    yield hub
    hub.stop()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> HubSettings:
    return HubSettings(
        data_dir=tmp_path,
        database_url=database_url,
        sign_in_per_email=RateLimit(50, 900),
        sign_in_codes_per_email=RateLimit(500, 3600),
        sign_in_per_client=RateLimit(500, 900),
        writes_per_customer=RateLimit(2000, 60),
    )


@pytest.fixture
def hub_app(settings: HubSettings) -> Iterator[Any]:
    api = create_app(settings)
    yield api
    api.state.hub.db.dispose()


@pytest.fixture
def db(hub_app: Any) -> Database:
    database: Database = hub_app.state.hub.db
    return database


@pytest.fixture
async def client(hub_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=hub_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as c:
        yield c


async def sign_in(client: httpx.AsyncClient, db: Database, email: str) -> dict[str, str]:
    """Sign in through the API with the code the hub issued; returns auth headers."""
    started = await client.post("/v1/auth/start", json={"email": email})
    assert started.status_code == 202, started.text
    attempt = started.json()["attempt"]
    with db.read() as conn:
        (code,) = [c["code"] for c in pending_codes(conn, attempt=attempt)]
    body = {"email": email, "attempt": attempt, "code": code}
    verified = await client.post("/v1/auth/verify", json=body)
    assert verified.status_code == 200, verified.text
    return {"Authorization": f"Bearer {verified.json()['token']}"}


@pytest.fixture
async def alice(client: httpx.AsyncClient, db: Database) -> dict[str, str]:
    return await sign_in(client, db, "alice@example.com")


@pytest.fixture
async def bob(client: httpx.AsyncClient, db: Database) -> dict[str, str]:
    return await sign_in(client, db, "bob@example.com")


PROBLEM_JSON = "application/problem+json"


def assert_problem(response: httpx.Response, status: int | None = None) -> dict[str, Any]:
    """The response is a problem document (RFC 9457) with this status (any 4xx if None)."""
    if status is None:
        assert 400 <= response.status_code < 500, response.text
    else:
        assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body: dict[str, Any] = response.json()
    assert body["status"] == response.status_code
    assert isinstance(body["type"], str)
    assert isinstance(body["title"], str)
    return body


def operator_headers(db: Database, *scopes: str) -> dict[str, str]:
    with db.write() as conn:
        token = auth.create_operator_token(conn, scopes=scopes or sorted(auth.OPERATOR_SCOPES))
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def operator(db: Database) -> dict[str, str]:
    return operator_headers(db)


def mutation(name: str, seq: int = 1, key: str | None = None, **args: Any) -> dict[str, Any]:
    return {
        "seq": seq,
        "key": key or str(uuid.uuid4()),
        "name": name,
        "args": args,
        "created_at": datetime.now(UTC).isoformat(),
    }


async def push(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    *mutations: dict[str, Any],
    client_id: str = "test-device",
) -> list[dict[str, Any]]:
    response = await client.post(
        "/v1/sync/push",
        headers=headers,
        json={"client_id": client_id, "mutations": list(mutations)},
    )
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


@dataclass(frozen=True)
class Company:
    queue_id: str = "help"


ALWAYS_OPEN = {
    day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
}


def seed_company(
    db: Database,
    *,
    agents: int = 1,
    min_notice_minutes: int = 30,
    time_zone: str = "America/Chicago",
) -> None:
    """Components, two articles, and a queue `help` open and staffed around the clock for
    the next days (each agent takes 3 calls per 30-minute slot)."""
    with db.write() as conn:
        status.save_component(
            conn, component_id="flights-ord", name="Flights at ORD", group="Airports"
        )
        status.save_component(conn, component_id="baggage", name="Baggage", group="Services")
        kb.save_category(conn, category=Category(id="baggage", locale="en", title="Baggage"))
        kb.save_article(
            conn,
            slug="lost-bag",
            locale="en",
            title="My bag did not arrive",
            body="Report it at the baggage desk.",
            category="baggage",
            tags=["lost luggage"],
        )
        kb.save_article(
            conn,
            slug="bag-fees",
            locale="en",
            title="Checked bag fees",
            body="The first bag costs $35.",
            category="baggage",
        )
        queues.save_queue(
            conn,
            handle_minutes=10,
            queue=CallbackQueue(
                id="help",
                name="Help",
                time_zone=time_zone,
                slot_minutes=30,
                min_notice_minutes=min_notice_minutes,
                horizon_days=3,
                hours=ALWAYS_OPEN,
            ),
        )
        start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
        queues.set_staffing(
            conn,
            queue_id="help",
            starts_at=start,
            ends_at=start + timedelta(days=4),
            agents=agents,
        )


@pytest.fixture
def company(db: Database) -> Company:
    """The small company of `seed_company`, with one agent on duty."""
    seed_company(db)
    return Company()
