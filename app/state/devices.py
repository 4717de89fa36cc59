"""Browsers as devices, on a server that hosts the app for many customers.

The first visit makes a device: a random id and a secret of 256 bits, which the browser
keeps in its own storage (never in an address). The server keeps the device's personal
store in `devices/<id[:2]>/<id>/` with a hash of the secret, and the device's hub token,
which never reaches the browser. Another tab or a reload of that browser is the same
device; another browser, or a private window, is another. An unknown or forged secret
gets a fresh device, never someone else's.

A device is in memory while a window uses it, and while its outbox still has something
to send (a marker file says so, so a restarted server delivers it too). Idle devices
leave memory; their folders are deleted after `keep_days` without a visit."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.background import BackgroundTask
from app.state.runtime import DeviceRuntime, SharedContent
from app.store import open_personal
from app.sync import SyncStatus

log = logging.getLogger("careline.devices")
CREDENTIAL = re.compile(r"^([0-9a-f]{32})\.([A-Za-z0-9_-]{43})$")
SEEN = "seen"  # its modification time: the device's last visit
WAITING = "outbox"  # exists while the device has changes to send
# A device's file is closed after this long unused (it opens again when needed): most
# visitors read for minutes between two writes, and an open SQLite file costs ~100 KiB.
FILE_IDLE_SECONDS = 30.0


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(eq=False)
class Device:
    id: str
    folder: Path
    runtime: DeviceRuntime
    secret_hash: str
    windows: int = 0
    idle_since: float = field(default_factory=time.monotonic)

    def on_status(self, status: SyncStatus) -> None:
        """Keep the marker of changes waiting in step with the outbox (a sync that could
        not send them says how many are left)."""
        marker = self.folder / WAITING
        if status.pending and not marker.exists():
            marker.touch()
        elif not status.pending and marker.exists():
            marker.unlink(missing_ok=True)


class DeviceRegistry:
    def __init__(
        self,
        folder: Path,
        shared: SharedContent,
        *,
        keep_days: float = 30.0,
        idle_seconds: float = 120.0,
    ) -> None:
        self.folder = folder
        self.shared = shared
        self.keep_days = keep_days
        self.idle_seconds = idle_seconds
        self.loaded: dict[str, Device] = {}
        self._opening: dict[str, asyncio.Future[Device | None]] = {}
        self._every = 30.0  # seconds between tidying rounds
        self._tidying = BackgroundTask(self._tidy_forever, "careline-devices-tidy")

    # Windows come and go.

    async def attach(self, credential: str | None) -> tuple[Device, str | None]:
        """The device a browser's credential names, with one more window on it. A new
        device when there is none, or the credential is unknown or forged: then the
        credential to give the browser comes too (else None)."""
        device = await self._known(credential) if credential else None
        issued = None
        if device is None:
            device, issued = await self._create()
        device.windows += 1
        await asyncio.to_thread((device.folder / SEEN).touch)
        return device, issued

    async def find(self, credential: str | None) -> Device | None:
        """The device a browser's key names, for a request outside a window (its offline
        copy, its alerts); None for no key, an unknown one or a forged one."""
        return await self._known(credential) if credential else None

    def detach(self, device: Device) -> None:
        """A window closed; with none left, the device may leave memory when idle."""
        device.windows = max(0, device.windows - 1)
        if device.windows == 0:
            device.idle_since = time.monotonic()

    async def _known(self, credential: str) -> Device | None:
        match = CREDENTIAL.match(credential)
        if match is None:
            return None
        device_id, secret = match.groups()
        device = self.loaded.get(device_id) or await self._load(device_id)
        if device is None or not hmac.compare_digest(device.secret_hash, secret_hash(secret)):
            log.info("a browser presented an unknown or wrong device key: a new device")
            return None
        return device

    async def _load(self, device_id: str) -> Device | None:
        """Open a device's store once, however many windows ask at the same moment."""
        opening = self._opening.get(device_id)
        if opening is None:
            opening = asyncio.ensure_future(self._open(device_id))
            self._opening[device_id] = opening
            opening.add_done_callback(lambda _: self._opening.pop(device_id, None))
        return await asyncio.shield(opening)

    async def _open(self, device_id: str) -> Device | None:
        folder = self._folder(device_id)
        try:
            if not await asyncio.to_thread((folder / SEEN).is_file):
                return None
            personal = await asyncio.to_thread(open_personal, folder, compact=True)
            stored = await asyncio.to_thread(personal.account.device_secret)
        except Exception:  # a damaged store: the browser starts again as a new device
            log.exception("device %s could not be opened", device_id)
            return None
        if stored is None:
            personal.close()
            return None
        return self._start(
            device_id, folder, DeviceRuntime.for_device(self.shared, personal), stored
        )

    async def _create(self) -> tuple[Device, str]:
        device_id, secret = secrets.token_hex(16), secrets.token_urlsafe(32)
        folder = self._folder(device_id)
        hashed = secret_hash(secret)

        def make() -> DeviceRuntime:
            folder.mkdir(mode=0o700, parents=True)  # one customer's: nobody else's to read
            (folder / SEEN).touch()
            personal = open_personal(folder, compact=True)
            personal.account.set_device_secret(hashed)
            return DeviceRuntime.for_device(self.shared, personal)

        runtime = await asyncio.to_thread(make)
        return self._start(device_id, folder, runtime, hashed), f"{device_id}.{secret}"

    def _start(self, device_id: str, folder: Path, runtime: DeviceRuntime, hashed: str) -> Device:
        device = Device(device_id, folder, runtime, hashed)
        runtime.scheduler.listeners.add(device.on_status)
        runtime.start()
        self.loaded[device_id] = device
        return device

    def _folder(self, device_id: str) -> Path:
        return self.folder / device_id[:2] / device_id

    # Keeping memory and disk in check.

    async def start(self, *, every: float = 30.0) -> None:
        """Deliver what devices left waiting when the server stopped, then tidy up
        every `every` seconds."""
        await asyncio.to_thread(self.folder.mkdir, mode=0o700, parents=True, exist_ok=True)
        waiting = await asyncio.to_thread(lambda: [p.parent.name for p in self._markers(WAITING)])
        for device_id in waiting:
            if device_id not in self.loaded:
                await self._load(device_id)
        self._every = every
        self._tidying.start()

    async def _tidy_forever(self) -> None:
        last_expiry = 0.0
        while True:
            try:
                await self.unload_idle()
                await self.close_idle_files()
                if time.monotonic() - last_expiry > 3600:
                    await self.forget_expired()
                    last_expiry = time.monotonic()
            except Exception:  # a full disk, a file in the way: try again next round
                log.exception("tidying devices failed")
            await asyncio.sleep(self._every)

    async def unload_idle(self) -> int:
        """Close devices with no window and nothing to send for `idle_seconds`."""
        now = time.monotonic()
        gone = 0
        for device in list(self.loaded.values()):
            if device.windows or now - device.idle_since < self.idle_seconds:
                continue
            counts = await asyncio.to_thread(device.runtime.personal.outbox.counts)
            if counts["pending"] or device.windows:  # a window may have come meanwhile
                continue
            await self._unload(device)
            gone += 1
        return gone

    async def close_idle_files(self, seconds: float = FILE_IDLE_SECONDS) -> int:
        """Close the files of loaded devices that nothing used for `seconds`."""
        stores = [device.runtime.personal.db for device in self.loaded.values()]
        return await asyncio.to_thread(lambda: sum(db.close_if_idle(seconds) for db in stores))

    async def _unload(self, device: Device) -> None:
        self.loaded.pop(device.id, None)
        device.runtime.scheduler.listeners.remove(device.on_status)
        await device.runtime.close()

    async def forget_expired(self) -> int:
        """Delete the folders of devices not seen for `keep_days` (and not in use)."""
        cutoff = time.time() - self.keep_days * 86400

        def expired() -> list[Path]:
            found = []
            for seen in self._markers(SEEN):
                with contextlib.suppress(FileNotFoundError):
                    if seen.stat().st_mtime < cutoff and seen.parent.name not in self.loaded:
                        found.append(seen.parent)
            return found

        folders = await asyncio.to_thread(expired)
        for folder in folders:
            await asyncio.to_thread(shutil.rmtree, folder, ignore_errors=True)
        if folders:
            log.info("forgot %d devices not seen for %g days", len(folders), self.keep_days)
        return len(folders)

    def _markers(self, name: str) -> Iterator[Path]:
        return self.folder.glob(f"??/*/{name}")

    async def close(self) -> None:
        """Stop: every loaded device closes (what waits to be sent keeps its marker)."""
        await self._tidying.stop()
        for device in list(self.loaded.values()):
            await self._unload(device)
