"""The app served to many browsers from one process: the public content is opened and
synced once for every visitor, and each browser is a device of its own.

Several processes may share one data folder (behind a proxy, on one machine): each keeps
its own copy of the public content, under `public/<port>/`, and they share `devices/`, so
a browser that lands on another process is still the same device."""

from __future__ import annotations

from pathlib import Path

from app.state.devices import DeviceRegistry
from app.state.runtime import SharedContent
from app.store import open_public


class Hosting:
    def __init__(
        self, data_dir: Path, hub_url: str, *, port: int = 8550, keep_days: float = 30.0
    ) -> None:
        """Devices in `data_dir/devices`, forgotten after `keep_days` without a visit;
        this process's public content in `data_dir/public/<port>`."""
        public = open_public(data_dir / "public" / str(port))
        self.shared = SharedContent.create(public, hub_url)
        self.devices = DeviceRegistry(data_dir / "devices", self.shared, keep_days=keep_days)

    async def start(self) -> None:
        self.shared.start()
        await self.devices.start()

    async def close(self) -> None:
        await self.devices.close()
        await self.shared.close()
