"""What the quota and retention tests share: a real hub on either database, sessions
issued in that database, pushes, and direct looks at (and changes to) its rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Connection, Table, func, select, update

from app.backend.crud import auth
from app.backend.db import Database
from app.backend.settings import HubSettings, sqlite_url
from app.backend.util import format_time, now
from tests.hub_process import RealHub
from tests.support import bearer


def started(folder: Path, database_url: str, **env: str) -> RealHub:
    """A hub process with the demo company and these extra environment settings."""
    hub = RealHub(folder, database_url)
    hub.env.update(env)
    hub.start()
    return hub


def hub_url(hub: RealHub) -> str:
    return hub.env.get("CARELINE_DATABASE_URL") or sqlite_url(hub.data_dir)


@contextmanager
def hub_db(hub: RealHub) -> Iterator[Connection]:
    """One transaction on the hub's own database."""
    db = Database(hub_url(hub), pool_size=1)
    try:
        with db.write() as conn:
            yield conn
    finally:
        db.dispose()


def session(hub: RealHub, email: str) -> dict[str, str]:
    """Authorization headers of a new session, issued in the hub's database (signing in
    through emailed codes would only meet the sign-in limits)."""
    settings = HubSettings(data_dir=hub.data_dir, database_url=hub_url(hub))
    with hub_db(hub) as conn:
        customer = auth.ensure_customer(conn, email=email)
        issued = auth.issue_customer_session(conn, customer=customer, settings=settings)
    return bearer(issued.token)


def push(hub: RealHub, headers: dict[str, str], *mutations: dict[str, Any]) -> httpx.Response:
    return httpx.post(
        f"{hub.url}/v1/sync/push",
        headers=headers,
        json={"client_id": "quota-test", "mutations": list(mutations)},
        timeout=60,
    )


def count(hub: RealHub, table: Table, *where: Any) -> int:
    with hub_db(hub) as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def age(hub: RealHub, table: Table, days: float, *where: Any) -> None:
    """Make rows look `days` old."""
    with hub_db(hub) as conn:
        conn.execute(
            update(table).where(*where).values(created_at=format_time(now() - timedelta(days)))
        )
