"""What the app shows about syncing: online or not, last synced, pending and failed."""

from __future__ import annotations

from dataclasses import replace

import flet as ft

from app.sync import SyncStatus


def combined(device: SyncStatus, content: SyncStatus) -> SyncStatus:
    """What the customer sees of two syncs (a server syncs public content apart from each
    device): offline if either is, the latest sync of either, the device's changes."""
    if content is device:
        return device
    both = (device.online, content.online)
    online = False if False in both else None if None in both else True
    synced = [s for s in (device.last_synced, content.last_synced) if s]
    return replace(
        device,
        online=online,
        syncing=device.syncing or content.syncing,
        last_synced=max(synced, default=None),
        last_error=device.last_error or content.last_error,
    )


class SyncState(ft.Observable):
    def __init__(self) -> None:
        self.online: bool | None = None
        self.syncing = False
        self.last_synced: str | None = None
        self.pending = 0
        self.failed = 0
        self.needs_sign_in = False
        self.last_error: str | None = None

    def update_from(self, status: SyncStatus) -> None:
        """Copy the scheduler's status; each changed field notifies its screens."""
        self.online = status.online
        self.syncing = status.syncing
        self.last_synced = status.last_synced
        self.pending = status.pending
        self.failed = status.failed
        self.needs_sign_in = status.needs_sign_in
        self.last_error = status.last_error

    @property
    def offline(self) -> bool:
        return self.online is False
