"""Everything one browser tab of the console holds: its client (with this browser's
token), the sign-in, layout and language, and each screen's state, made the first time
the screen asks for it (`screen`), so a new screen needs no change here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import flet as ft

from app.console.client import ConsoleClient
from app.console.sessions import BrowserSessions
from app.console.state.session import SessionState

S = TypeVar("S")


class ConsoleUi(ft.Observable):
    def __init__(self, width: float, locale: str = "en") -> None:
        self.width = width
        self.locale = locale

    @property
    def narrow(self) -> bool:
        """A tablet held upright: list and detail one above the other."""
        return self.width < 900


class ConsoleState:
    def __init__(
        self,
        client: ConsoleClient,
        sessions: BrowserSessions,
        key: str,
        *,
        width: float = 1280,
        run_task: Callable[..., Any] | None = None,
    ) -> None:
        self.client = client
        self.session = SessionState(client, sessions, key)
        self.ui = ConsoleUi(width)
        self.run_task = run_task
        self._screens: dict[type[Any], Any] = {}
        # What Ctrl+Enter sends: the form the member of staff is in (set by the screen).
        self.send_shortcut: Callable[[], Any] | None = None

    def screen(self, kind: Callable[[ConsoleState], S]) -> S:
        """The state of a screen (`kind(console)`), one per tab, kept across visits."""
        assert isinstance(kind, type)
        found = self._screens.get(kind)
        if found is None:
            found = self._screens[kind] = kind(self)
        return found  # type: ignore[no-any-return]

    def set_locale(self, locale: str) -> None:
        self.ui.locale = self.session.locale = locale

    def forget_screens(self) -> None:
        """After sign-out: the next member of staff starts from empty screens."""
        self._screens.clear()
