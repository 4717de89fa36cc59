"""What the app shows about syncing: online or not, last synced, pending and failed."""

from __future__ import annotations

import flet as ft

from app.sync import SyncStatus


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
