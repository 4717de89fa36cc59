"""A session: cached content first, then every finished sync refreshes what it shows."""

from __future__ import annotations

import asyncio
from typing import Any

from app.backend.crud import status
from app.schemas import Impact
from app.state.services import Services
from app.state.session import Session
from tests.sync.support import Rig


async def test_session_follows_syncs_and_keeps_preferences(rig: Rig, services: Services) -> None:
    tasks: list[asyncio.Task[Any]] = []

    def run_task(handler: Any, *args: Any) -> None:
        tasks.append(asyncio.ensure_future(handler(*args)))

    session = Session(services, width=390, run_task=run_task)
    assert session.ui.narrow
    await session.start()
    assert session.status.active == []
    with rig.db.write() as conn:
        status.publish_incident(
            conn,
            title="Fog at BOS",
            impact=Impact.major,
            components_affected=[],
            body="Low visibility.",
        )
    await session.sync_now()
    await asyncio.gather(*tasks)
    assert [i.title for i in session.status.active] == ["Fog at BOS"]
    assert session.sync.online is True
    await session.set_locale("es")
    await session.set_theme("dark")
    again = Session(services, width=1280, run_task=run_task)
    assert (again.ui.locale, again.ui.theme, again.help.locale) == ("es", "dark", "es")
    assert not again.ui.narrow
    session.close()
    again.close()
