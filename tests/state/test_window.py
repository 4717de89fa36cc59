"""A window's state: cached content first, then every finished sync refreshes what it shows."""

from __future__ import annotations

import asyncio
from typing import Any

from app.backend.crud import status
from app.schemas import Impact
from app.state.runtime import DeviceRuntime
from app.state.window import WindowState
from tests.sync.support import Rig


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
