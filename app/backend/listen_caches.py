"""What a hub process may answer from memory while its LISTEN connection is up: bearer
token checks, and the change feed's latest sequence number (an idle sync then costs no
query and no worker thread, like a 304 on the status).

Both are trusted only while every change that could make them wrong is heard of: a
revoked token (`t<id>`) or a moved change feed (`c`) arrives as a notification within
milliseconds of its commit, and this process's own revocations at commit. When LISTEN
drops, both are emptied and stay off until it is back (SQLite never has it: every check
goes to the database, as before).

A value read from the database is kept only if nothing was invalidated while it was
being read (`generation`): a revocation that lands between the read and the keeping
would otherwise be undone by it."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

from app.backend.crud.auth import TokenInfo
from app.backend.util import format_time, now

TOKEN_SECONDS = 60.0  # a checked token is trusted this long without asking again
MAX_TOKENS = 100_000  # beyond this many held, start afresh (memory stays bounded)


class TokenCache:
    def __init__(self, seconds: float = TOKEN_SECONDS) -> None:
        self.seconds = seconds
        self.enabled = False
        self.generation = 0
        self._lock = threading.Lock()  # revocations come from worker threads at commit
        self._entries: dict[str, tuple[TokenInfo, float]] = {}  # by the token's digest
        self._keys: dict[str, str] = {}  # token id -> digest

    def get(self, key: str) -> TokenInfo | None:
        """The token behind this digest if checked recently and still unexpired."""
        found = self._entries.get(key) if self.enabled else None
        if found is None:
            return None
        info, checked_at = found
        if time.monotonic() - checked_at > self.seconds:
            return None
        if info.expires_at is not None and info.expires_at <= format_time(now()):
            return None
        return info

    def put(self, key: str, info: TokenInfo, generation: int) -> None:
        """Keep a check read from the database, unless something was revoked since
        `generation` was taken (before the read)."""
        with self._lock:
            if not self.enabled or generation != self.generation:
                return
            if len(self._entries) >= MAX_TOKENS:
                self._entries.clear()
                self._keys.clear()
            self._entries[key] = (info, time.monotonic())
            self._keys[info.token_id] = key

    def touched(self, key: str, *, device: str | None) -> None:
        """The token's last use was recorded just now (from `device`, when known)."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                info, checked_at = found
                used = replace(
                    info, last_used_at=format_time(now()), user_agent=device or info.user_agent
                )
                self._entries[key] = (used, checked_at)

    def revoke(self, token_ids: list[str]) -> None:
        with self._lock:
            self.generation += 1
            for token_id in token_ids:
                key = self._keys.pop(token_id, None)
                if key is not None:
                    self._entries.pop(key, None)

    def set_enabled(self, enabled: bool) -> None:
        """On when LISTEN comes up, off when it drops; empty either way."""
        with self._lock:
            self.generation += 1
            self._entries.clear()
            self._keys.clear()
            self.enabled = enabled


class ChangeMark:
    """The change feed's latest sequence number, as last read, until it moves."""

    def __init__(self) -> None:
        self.enabled = False
        self.generation = 0
        self._high: int | None = None
        self._lock = threading.Lock()

    def known(self) -> int | None:
        return self._high if self.enabled else None

    def learn(self, high: int, generation: int) -> None:
        """The latest number as a read that started at `generation` found it."""
        with self._lock:
            if self.enabled and generation == self.generation:
                self._high = high

    def forget(self) -> None:
        """The feed moved (here or elsewhere): the next read asks the database."""
        with self._lock:
            self.generation += 1
            self._high = None

    def set_enabled(self, enabled: bool) -> None:
        with self._lock:
            self.generation += 1
            self._high = None
            self.enabled = enabled
