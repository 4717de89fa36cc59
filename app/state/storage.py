"""What the app shows about the device's storage: a banner while the disk is full or the
data folder refuses writes, and the message a form shows when what was typed could not be
kept (the form keeps it, to send again once there is room)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft

from app.store import StorageError, StorageHealth


class StorageState(ft.Observable):
    """`problem`: None while writes are stored, else 'full', 'read_only' or 'unavailable'
    (no store could be opened: nothing is kept after the app closes). `folder`: the data
    folder, named in the banner."""

    def __init__(self, health: StorageHealth) -> None:
        self.problem: str | None = None
        self.folder = ""
        self.update_from(health)

    def update_from(self, health: StorageHealth) -> None:
        self.problem = health.problem.value if health.problem else None
        self.folder = str(health.folder or "")


def refused_code(error: StorageError) -> str:
    """The error code (`error_<code>` in the strings) of a write the device refused."""
    return f"storage_{error.problem.value}"


async def try_saving(work: Callable[[], Awaitable[object]]) -> str | None:
    """Run a state action that stores something; the refusal's error code if the device
    refused it (nothing was stored), else None."""
    try:
        await work()
    except StorageError as error:
        return refused_code(error)
    return None
