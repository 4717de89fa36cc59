"""Two real hub processes on one PostgreSQL database, woken by LISTEN/NOTIFY: an event
published on one reaches a stream held by the other while it polls only as a safety net;
its LISTEN connection killed, it polls fast and listens again; a token revoked on one is
refused by the other. How fast is a figure for bench/, not a test on a shared machine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from app.backend.db import Database
from app.backend.listener import APPLICATION
from tests.backend.events_support import EventReader
from tests.hub_process import RealHub
from tests.support import bearer, until

# Several hub processes share PostgreSQL; on SQLite they poll as before (test_event_bus.py).
pytestmark = [
    pytest.mark.server,
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
]

UP = "LISTEN up on careline:"
SAFETY_POLL = "the event log is polled every 5.0 s"
LOST = "LISTEN connection lost"


@pytest.fixture
def hubs(tmp_path: Path, database_url: str) -> Iterator[tuple[RealHub, RealHub]]:
    first, second = RealHub(tmp_path / "a", database_url), RealHub(tmp_path / "b", database_url)
    first.start()
    second.start(demo=False)
    try:
        for hub in (first, second):
            until(lambda hub=hub: said(hub, UP), "the hub listens")  # type: ignore[misc]
        yield first, second
    finally:
        first.stop()
        second.stop()


def said(hub: RealHub, words: str) -> int:
    """How many lines of the hub's log say this."""
    return sum(words in line for line in hub.log_path.read_text().splitlines())


def publish(hub: RealHub, title: str) -> None:
    operator = hub.cli("token", "create", "--scope", "status").split()[-1]
    incident = {"title": title, "impact": "critical", "components": ["baggage"], "body": "On it."}
    made = httpx.post(f"{hub.url}/v1/admin/incidents", json=incident, headers=bearer(operator))
    assert made.status_code == 201, made.text


def test_an_event_on_one_hub_reaches_a_stream_on_the_other_while_it_polls_slowly(
    hubs: tuple[RealHub, RealHub],
) -> None:
    first, second = hubs
    assert said(second, SAFETY_POLL), "with LISTEN up the poll is the long safety one"
    stream = EventReader(second, None)
    try:
        publish(first, "Baggage belts stopped at DEN")
        assert stream.next(timeout=15)["data"]["title"] == "Baggage belts stopped at DEN"
    finally:
        stream.close()


def test_a_killed_listen_connection_falls_back_to_polling_then_listens_again(
    hubs: tuple[RealHub, RealHub], database_url: str
) -> None:
    first, second = hubs
    assert second.process is not None
    stream = EventReader(second, None)
    db = Database(database_url)
    try:
        with db.write() as conn:
            killed = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE application_name = :name"
                ),
                {"name": f"{APPLICATION} {second.process.pid}"},
            ).scalar_one()
        assert killed == 1
        until(lambda: said(second, LOST), "the hub notices its LISTEN connection is gone")
        assert said(second, "polled every 0.25 s until it is back")
        until(lambda: said(second, UP) == 2, "the hub listens again")
        publish(first, "Ground stop at ORD")
        assert stream.next(timeout=15)["data"]["title"] == "Ground stop at ORD"
    finally:
        db.dispose()
        stream.close()


def pull_status(hub: RealHub, token: str) -> int:
    return httpx.get(f"{hub.url}/v1/sync/pull", headers=bearer(token)).status_code


def test_a_token_revoked_on_one_hub_is_refused_by_the_other(
    hubs: tuple[RealHub, RealHub],
) -> None:
    first, second = hubs
    leaving = first.sign_in("leaving@example.com")["token"]
    ended = first.sign_in("ended@example.com")["token"]
    keeper = first.sign_in("ended@example.com")["token"]
    for token in (leaving, ended, keeper):  # checked, and so held, by the second hub
        assert pull_status(second, token) == pull_status(second, token) == 200

    signed_out = httpx.post(f"{first.url}/v1/auth/logout", headers=bearer(leaving))
    assert signed_out.status_code == 204
    until(lambda: pull_status(second, leaving) == 401, "sign-out reaches the other hub", 10)

    others = httpx.delete(f"{first.url}/v1/me/sessions", headers=bearer(keeper))
    assert others.status_code == 200, others.text
    until(lambda: pull_status(second, ended) == 401, "ending sessions reaches the other hub", 10)
    assert pull_status(second, keeper) == 200
