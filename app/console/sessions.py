"""Each browser's staff sign-in, kept on the console server: the browser holds only a
random key (Flet client storage), which names its hub token here in memory. The token
never goes to the browser, and one browser's key finds no other browser's token."""

from __future__ import annotations

import secrets

from app.schemas.staff import StaffSession

# Where a browser keeps its key (`localStorage['flutter.careline.console']` on the web).
BROWSER_KEY = "careline.console"


class BrowserSessions:
    def __init__(self) -> None:
        self._by_key: dict[str, StaffSession] = {}

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)

    def get(self, key: str) -> StaffSession | None:
        return self._by_key.get(key)

    def token(self, key: str) -> str | None:
        found = self._by_key.get(key)
        return found.token if found else None

    def keep(self, key: str, session: StaffSession) -> None:
        self._by_key[key] = session

    def forget(self, key: str) -> None:
        self._by_key.pop(key, None)
