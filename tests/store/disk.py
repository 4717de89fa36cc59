"""Real storage faults for tests: a tiny tmpfs that fills up (the kernel answers ENOSPC,
SQLite reports "database or disk is full"), and a data folder made read-only by a
read-only bind mount (EROFS, "attempt to write a readonly database"), as a customer's
device gives them. Both need root (CAP_SYS_ADMIN), which these test machines have; where
mounting is not allowed the tests that need it are skipped, saying why."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.store import Database

TINY_DISK = "4m"  # room for the store, its write-ahead log and some content


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)


def _unmount(folder: Path) -> None:
    if _run("umount", str(folder)).returncode != 0:
        _run("umount", "-l", str(folder))  # something still holds it: detach it anyway


def _write_until_refused(write: Callable[[bytes], object], chunk: int) -> None:
    while True:
        write(b"\0" * chunk)


class TinyDisk:
    """A small tmpfs at `folder`. `fill` takes every free block with a ballast file,
    `free` gives them back."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ballast = folder / "ballast"

    def fill(self, *databases: Database) -> None:
        """Leave no free block. The databases' write-ahead logs are first checkpointed and
        truncated, so their next write needs new blocks (a log kept at its old size would
        take a few more small writes in place, as SQLite does on a real disk)."""
        for db in databases:
            with db.transaction():
                pass  # waits for any write in progress
            db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with self.ballast.open("ab", buffering=0) as ballast:
            for chunk in (1 << 20, 1 << 16, 1 << 12):
                with pytest.raises(OSError, match="No space left") as stopped:
                    _write_until_refused(ballast.write, chunk)
                assert stopped.value.errno == errno.ENOSPC
        assert os.statvfs(self.folder).f_bavail == 0

    def free(self) -> None:
        self.ballast.unlink(missing_ok=True)


@contextmanager
def tiny_disk(folder: Path) -> Iterator[TinyDisk]:
    folder.mkdir(parents=True, exist_ok=True)
    mounted = _run("mount", "-t", "tmpfs", "-o", f"size={TINY_DISK}", "tmpfs", str(folder))
    if mounted.returncode != 0:
        pytest.skip(f"a full disk needs a tmpfs mount, not allowed here: {mounted.stderr}")
    try:
        yield TinyDisk(folder)
    finally:
        _unmount(folder)


@contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """`folder` (and all in it) read-only while the block runs, as a read-only mount."""
    if _run("mount", "--bind", str(folder), str(folder)).returncode != 0:
        pytest.skip("a read-only folder needs a bind mount, not allowed here")
    try:
        remount = _run("mount", "-o", "remount,ro,bind", str(folder))
        assert remount.returncode == 0, remount.stderr
        yield folder
    finally:
        _unmount(folder)


@contextmanager
def read_only_file(path: Path) -> Iterator[Path]:
    """The file `path` refuses writes while the block runs (its folder does not). Root
    ignores permission bits, so as root the file is made immutable (chattr +i)."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o444)
        try:
            yield path
        finally:
            path.chmod(mode)
        return
    if _run("chattr", "+i", str(path)).returncode != 0:
        pytest.skip("a read-only file needs chattr +i, not allowed here")
    try:
        yield path
    finally:
        _run("chattr", "-i", str(path))
