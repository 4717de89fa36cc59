"""Opening a file of a case thread, the customer's or an agent's. Its bytes come from the
device's own copy while the file waits to be sent, else from the hub with the customer's
token (in a header, never in an address). A desktop or phone keeps the file in the
device's folder and hands it to the system; a served app hands each browser a one-time
address of its own (`FileTickets`), which the app server answers for that browser's
device only."""

from __future__ import annotations

import asyncio
import re
import secrets
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.api import HubError, Offline
from app.state.runtime import DeviceRuntime
from app.store.uploads import is_staged

# How long a browser's one-time address for a file stays good.
TICKET_SECONDS = 60.0
FILES_PATH = "/careline/files/"


class FileUnavailable(Exception):
    """The file cannot be had now; `code` names why ('file_offline', 'file_missing')."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class ThreadFile:
    """A file as the thread lists it: the hub's id, or `upload:<id>` while waiting."""

    id: str
    filename: str
    content_type: str
    size: int

    @classmethod
    def of(cls, item: Mapping[str, Any]) -> ThreadFile:
        return cls(
            str(item["id"]),
            str(item["filename"]),
            str(item.get("content_type") or "application/octet-stream"),
            int(item.get("size") or 0),
        )


async def file_bytes(runtime: DeviceRuntime, file: ThreadFile) -> bytes:
    """The file's content: the device's copy of a file not yet sent, else the hub's."""
    ref = file.id
    if is_staged(ref):
        data, server_id = await asyncio.to_thread(runtime.personal.uploads.local_copy, ref)
        if data is not None:
            return data
        if server_id is None:
            raise FileUnavailable("file_missing")
        ref = server_id
    try:
        return await runtime.client.download(ref)
    except Offline as error:
        raise FileUnavailable("file_offline") from error
    except HubError as error:
        raise FileUnavailable("file_missing") from error


def safe_part(text: str, fallback: str) -> str:
    """A name that stays one file inside its folder."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", text).strip(" .")
    return name[:120] or fallback


def files_folder(runtime: DeviceRuntime) -> Path:
    """Where a device keeps opened files: beside its personal store, or (a store in
    memory) in the system's temporary folder."""
    path = runtime.personal.db.path
    return (path.parent if path else Path(tempfile.gettempdir()) / "careline") / "files"


async def keep_on_device(runtime: DeviceRuntime, file: ThreadFile) -> Path:
    """Fetch the file into the device's folder, for the system to open; its path."""
    data = await file_bytes(runtime, file)
    target = files_folder(runtime) / safe_part(file.id, "file") / safe_part(file.filename, "file")

    def write() -> None:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        target.write_bytes(data)

    try:
        await asyncio.to_thread(write)
    except OSError as error:
        raise FileUnavailable("storage_full") from error
    return target


@dataclass(frozen=True)
class Ticket:
    runtime: DeviceRuntime
    file: ThreadFile
    expires: float


class FileTickets:
    """One-time addresses a served app gives a browser for a file of its own device's
    thread: random, good once and for a minute, each bound to the device that asked."""

    def __init__(self, seconds: float = TICKET_SECONDS) -> None:
        self._seconds = seconds
        self._tickets: dict[str, Ticket] = {}

    def issue(self, runtime: DeviceRuntime, file: ThreadFile) -> str:
        """The address the browser opens to download `file`."""
        now = time.monotonic()
        self._tickets = {k: t for k, t in self._tickets.items() if t.expires > now}
        key = secrets.token_urlsafe(32)
        self._tickets[key] = Ticket(runtime, file, now + self._seconds)
        return FILES_PATH + key

    def redeem(self, key: str) -> Ticket | None:
        """The ticket behind `key` (then gone), or None: unknown, used or expired."""
        ticket = self._tickets.pop(key, None)
        if ticket is None or ticket.expires <= time.monotonic():
            return None
        return ticket
