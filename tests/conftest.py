"""Shared fixtures: hub databases on SQLite and PostgreSQL, an in-process hub client,
signed-in customers and operators, and a small company to test against. The plain helpers
they use live in tests/support.py."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text

from app.backend.db import Database
from app.backend.main import create_app
from app.backend.settings import HubSettings, RateLimit, sqlite_url
from tests.hub_process import RealHub, free_port
from tests.support import Company, Inbox, operator_headers, seed_company, sign_in

PG_ENV = "CARELINE_TEST_DATABASE_URL"
BACKENDS = ["sqlite", "postgresql"]
E2E = Path(__file__).parent / "e2e"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests are marked `e2e` (`./dev test` runs them in a pass of their own) and
    kept in one xdist group: given to workers, they still run one after another."""
    for item in items:
        if item.path.is_relative_to(E2E):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group("browser"))


def _with_search_path(url: str, schema: str) -> str:
    """`url` in `schema`. Commits do not wait for the disk (synchronous_commit=off): a
    test database outlives no crash, and on a shared, loaded disk the flush took seconds."""
    joiner = "&" if "?" in url else "?"
    options = f"-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"
    return f"{url}{joiner}options={options}"


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
    admin = create_engine(
        base.replace("postgresql://", "postgresql+psycopg://", 1),
        connect_args={"options": "-csynchronous_commit=off"},
    )
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


@pytest.fixture
async def alice(client: httpx.AsyncClient, db: Database) -> dict[str, str]:
    return await sign_in(client, db, "alice@example.com")


@pytest.fixture
async def bob(client: httpx.AsyncClient, db: Database) -> dict[str, str]:
    return await sign_in(client, db, "bob@example.com")


@pytest.fixture
def operator(db: Database) -> dict[str, str]:
    return operator_headers(db)


@pytest.fixture
def company(db: Database) -> Company:
    """The small company of `seed_company`, with one agent on duty."""
    seed_company(db)
    return Company()


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    found, port = Inbox(), free_port()
    controller = Controller(found, hostname="127.0.0.1", port=port)
    controller.start()
    yield found, port
    controller.stop()
