"""The Account screen's sign-ins: where the customer is signed in, ending one of them, and
signing out everywhere else. Asked of the hub each time (nothing is kept on the device)."""

from __future__ import annotations

import flet as ft

from app.api import HubError
from app.schemas.sessions import SignIn
from app.state.account import problem_code
from app.state.runtime import DeviceRuntime


class SessionsState(ft.Observable):
    def __init__(self, runtime: DeviceRuntime) -> None:
        self._runtime = runtime
        self.items: list[SignIn] = []
        self.loaded = False
        self.busy = False
        self.error: str | None = None
        # How many sign-ins "sign out everywhere else" ended, to say so once.
        self.ended: int | None = None

    @property
    def others(self) -> list[SignIn]:
        return [item for item in self.items if not item.current]

    async def load(self) -> None:
        """The hub's list; offline, the last one stays and `error` says why."""
        self.busy, self.error = True, None
        try:
            self.items = await self._runtime.client.my_sessions()
            self.loaded = True
        except HubError as error:
            self.error = problem_code(error)
        finally:
            self.busy = False

    async def end(self, session_id: str) -> None:
        """Sign one other device out."""
        self.busy, self.error, self.ended = True, None, None
        try:
            await self._runtime.client.end_session(session_id)
        except HubError as error:
            self.error = problem_code(error)
            self.busy = False
            return
        self.items = [item for item in self.items if item.id != session_id]
        self.busy = False

    async def end_others(self) -> None:
        """Sign out everywhere else: every sign-in but this device's ends."""
        self.busy, self.error, self.ended = True, None, None
        try:
            self.ended = await self._runtime.client.end_other_sessions()
        except HubError as error:
            self.error = problem_code(error)
            self.busy = False
            return
        self.items = [item for item in self.items if item.current]
        self.busy = False
