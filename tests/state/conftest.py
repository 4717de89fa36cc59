"""State objects wired to a real hub app in process and a real local store; or, for the
app served to many browsers, to a real hub process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.state.hosting import Hosting
from app.state.runtime import DeviceRuntime
from tests.hub_process import RealHub
from tests.sync.conftest import hub_settings, rig  # noqa: F401 - fixtures
from tests.sync.support import Rig


@pytest.fixture
async def runtime(rig: Rig) -> AsyncIterator[DeviceRuntime]:  # noqa: F811 - the fixture above
    made = DeviceRuntime.create(
        data_dir=None, hub_url="http://hub.test", stores=rig.store, client=rig.client
    )
    yield made
    await made.live.stop()
    await made.scheduler.stop()


@pytest.fixture
async def hosting(hub: RealHub, tmp_path: Path) -> AsyncIterator[Hosting]:
    """The app server's parts for many browsers, against the demo hub process."""
    made = Hosting(tmp_path / "app", hub.url)
    await made.start()
    yield made
    await made.close()
