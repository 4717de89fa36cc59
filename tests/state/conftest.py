"""State objects wired to a real hub app in process and a real local store."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from app.state.services import Services
from tests.sync.conftest import Rig, hub_settings, rig  # noqa: F401 - fixtures


@pytest.fixture
async def services(rig: Rig) -> AsyncIterator[Services]:  # noqa: F811 - the fixture above
    made = Services.create(
        data_dir=None, hub_url="http://hub.test", stores=rig.store, client=rig.client
    )
    yield made
    await made.live.stop()
    await made.scheduler.stop()
