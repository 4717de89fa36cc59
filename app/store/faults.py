"""Storage faults as the app meets them: a full disk or a data folder that cannot be written.

SQLite reports them as "database or disk is full" (SQLITE_FULL) and "attempt to write a
readonly database" (SQLITE_READONLY); the file system as ENOSPC, EDQUOT, EROFS or EACCES.
The store turns each into one typed exception, `StorageFull` or `StorageReadOnly`, and
records it in its `StorageHealth`, which the screens show as a banner."""

from __future__ import annotations

import errno
import logging
import sqlite3
import threading
from enum import StrEnum
from pathlib import Path

from app.listeners import Listeners

# SQLite's primary result codes (an extended code carries its primary in the low byte).
SQLITE_READONLY = 8
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
READ_ONLY_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})
log = logging.getLogger("careline.store")


class StorageProblem(StrEnum):
    full = "full"  # the disk (or the customer's quota) has no room
    read_only = "read_only"  # the data folder or the store file refuses writes
    unavailable = "unavailable"  # no store could be opened: this run keeps nothing


class StorageError(Exception):
    """A write the device refused. The store is left as it was before the write."""

    problem: StorageProblem = StorageProblem.unavailable


class StorageFull(StorageError):
    problem = StorageProblem.full


class StorageReadOnly(StorageError):
    problem = StorageProblem.read_only


def sqlite_code(error: BaseException) -> int | None:
    """SQLite's primary result code of `error`, if it is a SQLite error that has one."""
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(error, sqlite3.Error) and isinstance(code, int) else None


def as_storage_error(error: BaseException | None) -> StorageError | None:
    """`error` as a storage fault, or None when it is something else (a bug, a lock)."""
    if error is None:
        return None
    if isinstance(error, StorageError):
        return error
    code = sqlite_code(error)
    number = error.errno if isinstance(error, OSError) else None
    if code == SQLITE_FULL or number in FULL_ERRNOS:
        return StorageFull(str(error))
    if code == SQLITE_READONLY or number in READ_ONLY_ERRNOS:
        return StorageReadOnly(str(error))
    return None


class StorageHealth:
    """What the store knows about its disk: `problem` is None while writes work.

    A fault noticed while running clears at the next write that is stored. One found at
    start-up that no write can cure (`lasting`: the store was opened read-only, or only in
    memory) stays for the run. Listeners are called from the thread that noticed the
    change (often a worker thread): hand the news to your own loop."""

    def __init__(
        self,
        folder: Path | None = None,
        problem: StorageProblem | None = None,
        *,
        lasting: bool = False,
    ) -> None:
        self.folder = folder
        self.problem = problem
        self.lasting = lasting
        # Told of each new problem (None: writes are stored again). A window that went
        # away must not break a write.
        self.listeners: Listeners[StorageProblem | None] = Listeners(log, "storage health")
        self._lock = threading.Lock()

    def report(self, problem: StorageProblem) -> None:
        if not self.lasting:
            self._set(problem)

    def recovered(self) -> None:
        """A write was stored: the disk takes writes again."""
        if not self.lasting and self.problem is not None:
            self._set(None)

    def _set(self, problem: StorageProblem | None) -> None:
        with self._lock:
            if problem == self.problem:
                return
            self.problem = problem
        self.listeners.tell(problem)
