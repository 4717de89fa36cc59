"""A window's state: cached content first, then every finished sync refreshes what it shows;
its times in the customer's zone."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.backend.crud import status
from app.schemas import Impact
from app.state.runtime import DeviceRuntime
from app.state.window import WindowState
from app.views.strings import when
from tests.sync.support import Rig

NARROW = "\u202f"  # CLDR's narrow no-break space before AM/PM


async def test_window_follows_syncs_and_keeps_preferences(rig: Rig, runtime: DeviceRuntime) -> None:
    tasks: list[asyncio.Task[Any]] = []

    def run_task(handler: Any, *args: Any) -> None:
        tasks.append(asyncio.ensure_future(handler(*args)))

    window = WindowState(runtime, width=390, run_task=run_task)
    assert window.ui.narrow
    await window.start()
    assert window.status.active == []
    with rig.db.write() as conn:
        status.publish_incident(
            conn,
            title="Fog at BOS",
            impact=Impact.major,
            components_affected=[],
            body="Low visibility.",
        )
    await window.sync_now()
    await asyncio.gather(*tasks)
    assert [i.title for i in window.status.active] == ["Fog at BOS"]
    assert window.sync.online is True
    await window.set_locale("es")
    await window.set_theme("dark")
    again = WindowState(runtime, width=1280, run_task=run_task)
    assert (again.ui.locale, again.ui.theme, again.help.locale) == ("es", "dark", "es")
    assert not again.ui.narrow
    window.close()
    again.close()


@pytest.fixture
def server_in_chicago(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process's own time zone is Chicago's for one test."""
    monkeypatch.setenv("TZ", "America/Chicago")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("server_in_chicago")
async def test_a_window_in_another_zone_than_the_server_shows_its_times(
    runtime: DeviceRuntime,
) -> None:
    """A browser in Tokyo on a server in Chicago: its window's times are Tokyo's, and a
    zone the server does not know leaves the server's (as a desktop's own)."""
    moment = datetime(2026, 11, 23, 21, 5, tzinfo=UTC)  # 15:05 in Chicago, 06:05 in Tokyo
    tokyo = WindowState(runtime, width=390, run_task=lambda *_: None, zone="Asia/Tokyo")
    assert tokyo.ui.zone == ZoneInfo("Asia/Tokyo") == tokyo.callbacks.zone
    assert when("en", moment, tokyo.ui.zone) == f"Nov 24, 6:05{NARROW}AM"
    assert when("es", moment, tokyo.ui.zone) == "24 nov, 6:05"
    for unknown in (None, "Mars/Olympus", "../../etc/passwd", "x" * 200):
        server = WindowState(runtime, width=390, run_task=lambda *_: None, zone=unknown)
        assert server.ui.zone is None and server.callbacks.zone == ZoneInfo("America/Chicago")
        assert when("en", moment, server.ui.zone) == f"Nov 23, 3:05{NARROW}PM"
        server.close()
    tokyo.close()
