"""Notifications: text made safe, what is worth telling, quiet hours, and a real OS
notification on a session D-Bus, received by a stand-in notification daemon."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.notify import (
    DesktopNotifier,
    Notice,
    NoticeCenter,
    desktop_notifier,
    notice_for,
    safe_text,
)
from app.schemas import Event, Subscriptions
from app.schemas.alerting import quiet_now
from app.store import open_local

ROOT = Path(__file__).resolve().parents[2]


def test_any_text_becomes_one_short_clean_line() -> None:
    assert safe_text('He said "stop"\nnow\t\x00!', 64) == 'He said "stop" now !'
    long = safe_text("🎉" * 5000, 10)
    assert len(long) == 10 and long.endswith("…")
    family = "👨\u200d👩\u200d👧"
    assert safe_text("a" * 7 + family, 10) == "a" * 7 + "👨…"
    assert safe_text("e\u0301" * 3, 3) == "é" * 3, "NFC first, so accents stay whole"


def incident_event(impact: str, components: list[str], version: int = 1) -> Event:
    return Event(
        id=version,
        kind="incident",
        entity_id="inc_1",
        version=version,
        data={
            "id": "inc_1",
            "title": "Snow at ORD",
            "impact": impact,
            "status": "investigating",
            "components": components,
            "updates": [
                {
                    "id": "u1",
                    "status": "investigating",
                    "body": "**Delays** expected.\n\nMore later.",
                    "created_at": "2026-11-22T10:00:00Z",
                }
            ],
            "started_at": "2026-11-22T10:00:00Z",
            "created_at": "2026-11-22T10:00:00Z",
            "updated_at": "2026-11-22T10:00:00Z",
        },
        created_at="2026-11-22T10:00:00Z",
    )


def test_what_is_worth_telling() -> None:
    follows_bos = Subscriptions(components=["flights-bos"])
    assert notice_for(incident_event("minor", ["flights-ord"]), follows_bos, "en") is None
    told = notice_for(incident_event("critical", ["flights-ord"]), follows_bos, "en")
    assert told is not None
    assert (told.title, told.body, told.route) == (
        "Snow at ORD",
        "Delays expected.",
        "/status/inc_1",
    )


def callback_event(kind: str, status: str, version: int) -> Event:
    data = {
        "id": "cb_1",
        "queue_id": "rebooking",
        "mode": "slot",
        "status": status,
        "phone": "+13125550142",
        "slot_start": "2026-11-22T10:15:00Z",
        "created_at": "2026-11-22T09:00:00Z",
        "updated_at": "2026-11-22T09:00:00Z",
    }
    return Event(
        id=version, kind=kind, entity_id="cb_1", version=version, customer_id="c1",
        data=data, created_at="2026-11-22T10:00:00Z",
    )  # fmt: skip


def test_a_scheduled_call_is_reminded_and_each_new_time_again() -> None:
    none = Subscriptions()
    assert notice_for(callback_event("callback", "scheduled", 1), none, "en") is None
    first = notice_for(callback_event("reminder", "scheduled", 1), none, "es")
    again = notice_for(callback_event("reminder", "scheduled", 3), none, "es")
    assert first is not None and again is not None
    assert (first.title, first.route) == ("Tu llamada es pronto", "/callbacks/cb_1")
    assert first.key != again.key, "a rescheduled call gets its own reminder"
    missed = notice_for(callback_event("callback", "missed", 4), none, "en")
    assert missed is not None and missed.key == "callback:cb_1:missed"


def test_quiet_hours_span_midnight_in_the_customers_zone() -> None:
    quiet = Subscriptions(quiet_hours=("22:00", "07:00"), time_zone="America/Chicago")
    assert quiet_now(quiet, datetime(2026, 11, 23, 5, 0, tzinfo=UTC))  # 23:00 Chicago
    assert not quiet_now(quiet, datetime(2026, 11, 23, 15, 0, tzinfo=UTC))  # 09:00
    assert not quiet_now(Subscriptions(), datetime(2026, 11, 23, 5, 0, tzinfo=UTC))


def test_no_os_notifications_in_web_mode_or_without_a_bus(monkeypatch: pytest.MonkeyPatch) -> None:
    assert desktop_notifier(web=True) is None
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    if sys.platform.startswith("linux"):
        assert desktop_notifier(web=False) is None


@pytest.fixture
def session_bus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private session D-Bus with a stand-in daemon owning org.freedesktop.Notifications;
    yields the file it records each notification in."""
    missing = [p for p in ("dbus-daemon", "notify-send") if shutil.which(p) is None]
    if missing:
        reason = f"{', '.join(missing)} not installed (apt-get install dbus libnotify-bin)"
        if os.environ.get("CARELINE_REQUIRE_NOTIFY"):
            pytest.fail(reason)
        pytest.skip(reason)
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert daemon.stdout is not None
    address = daemon.stdout.readline().strip()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    record = tmp_path / "notifications.jsonl"
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.notify_server", str(record)],
        cwd=ROOT,
        env={**os.environ, "DBUS_SESSION_BUS_ADDRESS": address},
    )
    deadline = time.monotonic() + 10
    while not record.exists():
        assert time.monotonic() < deadline and server.poll() is None, "daemon did not start"
        time.sleep(0.05)
    yield record
    server.terminate()
    daemon.terminate()
    server.wait(5)
    daemon.wait(5)
    daemon.stdout.close()


def received(record: Path, count: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 5
    while True:
        lines = [json.loads(line) for line in record.read_text().splitlines()]
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


async def test_an_os_notification_reaches_the_desktop_intact(session_bus: Path) -> None:
    notifier = desktop_notifier(web=False)
    assert isinstance(notifier, DesktopNotifier)
    title = 'Gate change: "B6" → C12 🎉\nNow boarding'
    shown = await notifier.show(Notice.make(key="k", title=title, body="x" * 5000, route="/"))
    assert shown
    [got] = received(session_bus, 1)
    assert got["summary"] == 'Gate change: "B6" → C12 🎉 Now boarding'
    assert got["body"] == "x" * 239 + "…"
    assert got["app_name"] == "Careline"


async def test_the_same_update_is_never_notified_twice(session_bus: Path, tmp_path: Path) -> None:
    store = open_local(tmp_path)
    center = NoticeCenter(store.personal.account, desktop_notifier(web=False))
    heard: list[Notice] = []
    center.listeners.add(heard.append)
    event = incident_event("critical", ["flights-ord"])
    assert await center.consider(event)
    assert not await center.consider(event), "the same version again"
    assert await center.consider(incident_event("critical", ["flights-ord"], version=2))
    assert [n.key for n in heard] == ["incident:inc_1:1", "incident:inc_1:2"]
    assert [n["summary"] for n in received(session_bus, 2)] == ["Snow at ORD", "Snow at ORD"]
    store.close()


def test_quiet_hours_the_hub_accepts_never_break_anything() -> None:
    moment = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)
    assert quiet_now(Subscriptions(quiet_hours=("22:00", "24:00")), moment) is False
    assert quiet_now(Subscriptions(quiet_hours=("6:00", "7:00")), moment) is True
    assert quiet_now(Subscriptions(quiet_hours=("noon", "7:00")), moment) is False
