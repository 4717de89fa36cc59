"""The hub token in the device's keychain (Flet's secure storage: Keychain on iOS and
macOS, Keystore on Android, the Credential Manager on Windows, libsecret on Linux) for
a desktop or phone window. Read once when the app opens, kept in memory, and written back
as the session changes. Where no keychain answers, the token stays in the store file,
which only its owner can read."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from typing import Any, Protocol

log = logging.getLogger("careline.keychain")
KEY = "careline.hub_token"


class SecretStore(Protocol):
    """What Careline uses of `flet_secure_storage.SecureStorage`."""

    async def get(self, key: str) -> Any: ...
    async def set(self, key: str, value: Any) -> None: ...
    async def remove(self, key: str) -> Any: ...


class KeychainTokens:
    """A `TokenKeeper` over a keychain; made with `open_keychain`."""

    def __init__(self, storage: SecretStore, token: str | None) -> None:
        self._storage = storage
        self._token = token
        self._loop = asyncio.get_running_loop()
        self._writes: set[asyncio.Task[None]] = set()
        self._last: asyncio.Task[None] | None = None

    def get(self, conn: sqlite3.Connection) -> str | None:
        return self._token

    def put(self, conn: sqlite3.Connection, token: str | None) -> None:
        self._token = token
        # Called in a store transaction, in a worker thread: the keychain is written on
        # the window's loop (a write lost to a crash only asks for a new sign-in).
        self._loop.call_soon_threadsafe(self._write, token)

    def adopt(self, conn: sqlite3.Connection) -> None:
        """A token an earlier version kept in the store file moves to the keychain."""
        row = conn.execute("SELECT value FROM meta WHERE key = 'token'").fetchone()
        if row is None:
            return
        if self._token is None:
            self.put(conn, str(row[0]))
        conn.execute("DELETE FROM meta WHERE key = 'token'")

    def _write(self, token: str | None) -> None:
        previous = self._last

        async def write() -> None:
            # One after the other, in the order the session changed.
            if previous is not None:
                await asyncio.gather(previous, return_exceptions=True)
            if token:
                await self._storage.set(KEY, token)
            else:
                await self._storage.remove(KEY)

        task = self._loop.create_task(write())
        self._last = task
        self._writes.add(task)
        task.add_done_callback(self._written)

    def _written(self, task: asyncio.Task[None]) -> None:
        self._writes.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("the keychain did not take the token: %s", task.exception())

    async def settled(self) -> None:
        """Until every write so far has reached the keychain."""
        await asyncio.sleep(0)  # writes handed over from a store transaction start
        while self._writes:
            await asyncio.gather(*self._writes, return_exceptions=True)


async def open_keychain(storage: SecretStore) -> KeychainTokens | None:
    """The keychain's keeper, or None where the platform has no keychain that answers."""
    try:
        token = await asyncio.wait_for(storage.get(KEY), 5)
    except Exception as error:  # no keychain service (a Linux desktop without one)
        log.info("no keychain (%s): the token stays in the store file", error)
        return None
    return KeychainTokens(storage, str(token) if token else None)
