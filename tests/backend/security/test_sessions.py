"""A customer's sign-ins against a real hub: the list (device, created, last used, this one
marked), ending one or all the others, the idle timeout, and the cap per customer."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import update

from app.backend.db import Database
from app.backend.db.tables import tokens
from app.backend.settings import sqlite_url
from app.backend.util import digest, format_time, now
from tests.hub_process import RealHub
from tests.support import bearer


def as_device(token: str, device: str) -> dict[str, str]:
    return {**bearer(token), "User-Agent": device}


def me(hub: RealHub, token: str, device: str = "test") -> int:
    return httpx.get(f"{hub.url}/v1/me", headers=as_device(token, device)).status_code


def sessions(hub: RealHub, token: str) -> list[dict[str, object]]:
    answer = httpx.get(f"{hub.url}/v1/me/sessions", headers=as_device(token, "test"))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    items: list[dict[str, object]] = answer.json()["items"]
    return items


def last_used(hub: RealHub, token: str, ago: timedelta) -> None:
    """Make a session look unused since `ago`, the way time would."""
    db = Database(sqlite_url(hub.data_dir))
    try:
        with db.write() as conn:
            conn.execute(
                update(tokens)
                .where(tokens.c.token_hash == digest(token))
                .values(last_used_at=format_time(now() - ago))
            )
    finally:
        db.dispose()


def test_the_list_shows_each_sign_in_and_marks_this_one(hub: RealHub) -> None:
    phone = hub.sign_in("dana@example.com")["token"]
    laptop = hub.sign_in("dana@example.com")["token"]
    other = hub.sign_in("eve@example.com")["token"]
    assert me(hub, phone, "Careline/1.0 (Android 14; Pixel 8)") == 200
    assert me(hub, laptop, "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0") == 200
    assert me(hub, other, "Eve's phone") == 200
    listed = sessions(hub, phone)
    assert len(listed) == 2
    devices = {item["device"]: item for item in listed}
    assert devices.keys() == {"test", "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"}
    assert devices["test"]["current"] is True
    assert devices["Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"]["current"] is False
    for item in listed:
        assert item["created_at"] and item["last_used_at"] and item["expires_at"]
    assert "token" not in str(listed)
    assert all(item["device"] != "Eve's phone" for item in listed)
    # What the hub keeps of each sign-in is in the customer's data export too.
    export = httpx.get(f"{hub.url}/v1/me/export", headers=as_device(phone, "test")).json()
    assert {s["user_agent"] for s in export["sign_ins"]} == devices.keys()


def test_sign_out_everywhere_else(hub: RealHub) -> None:
    here, *elsewhere = (hub.sign_in("dana@example.com")["token"] for _ in range(3))
    eve = hub.sign_in("eve@example.com")["token"]
    ended = httpx.delete(f"{hub.url}/v1/me/sessions", headers=as_device(here, "here"))
    assert ended.status_code == 200, ended.text
    assert ended.json() == {"ended": 2}
    assert [me(hub, token) for token in elsewhere] == [401, 401]
    assert me(hub, here) == 200
    assert me(hub, eve) == 200  # another customer's sessions are not theirs to end
    assert [item["current"] for item in sessions(hub, here)] == [True]


def test_a_customer_ends_one_session_of_their_own_only(hub: RealHub) -> None:
    here = hub.sign_in("dana@example.com")["token"]
    there = hub.sign_in("dana@example.com")["token"]
    eve = hub.sign_in("eve@example.com")["token"]
    there_id = next(s["id"] for s in sessions(hub, here) if not s["current"])
    eves_id = sessions(hub, eve)[0]["id"]
    refused = httpx.delete(f"{hub.url}/v1/me/sessions/{eves_id}", headers=as_device(here, "x"))
    assert refused.status_code == 404, refused.text
    assert me(hub, eve) == 200
    gone = httpx.delete(f"{hub.url}/v1/me/sessions/{there_id}", headers=as_device(here, "x"))
    assert gone.status_code == 204, gone.text
    assert me(hub, there) == 401
    assert me(hub, here) == 200


def test_a_session_unused_for_sixty_days_stops_working(hub: RealHub) -> None:
    idle = hub.sign_in("dana@example.com")["token"]
    used = hub.sign_in("dana@example.com")["token"]
    last_used(hub, idle, timedelta(days=60, minutes=1))
    last_used(hub, used, timedelta(days=59))
    assert me(hub, idle) == 401
    assert me(hub, used) == 200
    # Using it counts: the session used at 59 days now starts over.
    last_used(hub, used, timedelta(days=59))
    assert me(hub, used) == 200
    assert len(sessions(hub, used)) == 1


def test_a_new_sign_in_ends_the_least_recently_used_beyond_the_cap(tmp_path: Path) -> None:
    hub = RealHub(tmp_path / "hub")
    hub.env["CARELINE_SESSIONS_PER_CUSTOMER"] = "3"
    hub.start()
    try:
        first, second, third = (hub.sign_in("dana@example.com")["token"] for _ in range(3))
        last_used(hub, first, timedelta(minutes=1))
        last_used(hub, second, timedelta(days=2))  # the least recently used
        last_used(hub, third, timedelta(days=1))
        fourth = hub.sign_in("dana@example.com")["token"]
        assert [me(hub, t) for t in (first, second, third, fourth)] == [200, 401, 200, 200]
        assert len(sessions(hub, fourth)) == 3
    finally:
        hub.stop()
