"""The store on a device that refuses writes: a full disk, a read-only data folder, a
read-only store file, a data folder that cannot be made. Real SQLite files throughout."""

from __future__ import annotations

import errno
import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.schemas import Article
from app.store import (
    LocalStore,
    StorageFull,
    StorageProblem,
    StorageReadOnly,
    open_store,
)
from app.store.faults import as_storage_error
from app.store.uploads import NewFile
from tests.store.disk import read_only, read_only_file, tiny_disk


def with_content(store: LocalStore) -> str:
    """An article, a preference and a case waiting to be sent; returns the case's id."""
    article = Article(
        id="en:lost-bag",
        slug="lost-bag",
        locale="en",
        title="My bag did not arrive",
        body="Report it at the baggage desk.",
        category="baggage",
        updated_at=datetime(2026, 11, 22, tzinfo=UTC),
    )
    with store.transaction() as conn:
        store.repos.content.save_article(conn, article)
    store.repos.account.set_preference("locale", "es")
    return store.repos.cases.open(
        subject="Stuck at ORD", description="NW 412 was cancelled", category="general", files=[]
    )


def snapshot(store: LocalStore) -> tuple[object, ...]:
    repos = store.repos
    return (
        [c.local_id for c in repos.cases.list()],
        repos.outbox.counts(),
        repos.account.preference("locale"),
        [hit.slug for hit in repos.search.search("lost bag")],
    )


def test_a_full_disk_refuses_a_write_whole_and_the_store_recovers(tmp_path: Path) -> None:
    with tiny_disk(tmp_path / "disk") as disk:
        store = open_store(disk.folder)
        try:
            case_id = with_content(store)
            before = snapshot(store)
            disk.fill(store)
            with pytest.raises(StorageFull):
                store.repos.cases.reply(case_id, "Any news?", [])
            with pytest.raises(StorageFull):
                store.repos.cases.open(
                    subject="Second", description="Another", category="general", files=[]
                )
            assert store.health.problem is StorageProblem.full
            assert snapshot(store) == before, "nothing half-written, everything still readable"
            assert store.integrity_ok()
            with pytest.raises(StorageFull):
                store.check_space()
            disk.free()
            store.check_space()
            assert store.health.problem is None
            store.repos.cases.reply(case_id, "Any news?", [])
            assert store.repos.outbox.counts()["pending"] == 2
        finally:
            store.close()


def test_sqlites_own_limit_is_the_same_fault(tmp_path: Path) -> None:
    """SQLite's page limit gives the same "database or disk is full" without a mount: a
    case with a 1 MB file does not fit and leaves nothing behind."""
    store = open_store(tmp_path)
    try:
        with_content(store)
        before = snapshot(store)
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")
        big = NewFile.checked("notes.txt", b"x" * 1_000_000)
        with pytest.raises(StorageFull) as refused:
            store.repos.cases.open(subject="S", description="D", category="general", files=[big])
        assert "database or disk is full" in str(refused.value)
        assert snapshot(store) == before and store.integrity_ok()
        assert store.health.problem is StorageProblem.full
        store.conn.execute(f"PRAGMA max_page_count = {pages * 100}")
        store.repos.cases.open(subject="S", description="D", category="general", files=[big])
        assert store.health.problem is None
    finally:
        store.close()


def test_file_system_errors_are_the_same_faults() -> None:
    assert isinstance(as_storage_error(OSError(errno.ENOSPC, "No space")), StorageFull)
    assert isinstance(as_storage_error(OSError(errno.EROFS, "Read-only")), StorageReadOnly)
    assert as_storage_error(OSError(errno.ECONNRESET, "reset")) is None
    assert as_storage_error(ValueError("a bug")) is None


def shows_all_and_refuses_writes(store: LocalStore, before: tuple[object, ...]) -> None:
    """A store opened read-only: it says so, shows what was saved and refuses writes."""
    assert store.read_only
    assert store.health.problem is StorageProblem.read_only
    assert snapshot(store) == before
    with pytest.raises(StorageReadOnly):
        store.repos.account.set_preference("locale", "en")


def test_a_read_only_data_folder_shows_everything_saved(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    with_content(store)
    before = snapshot(store)
    store.close()
    digest = hashlib.sha256((tmp_path / "careline.sqlite3").read_bytes()).hexdigest()
    with read_only(tmp_path):
        reopened = open_store(tmp_path)
        try:
            shows_all_and_refuses_writes(reopened, before)
            assert reopened.health.problem is StorageProblem.read_only
        finally:
            reopened.close()
    assert hashlib.sha256((tmp_path / "careline.sqlite3").read_bytes()).hexdigest() == digest
    again = open_store(tmp_path)
    assert not again.read_only and again.health.problem is None
    assert snapshot(again) == before
    again.close()


def test_a_read_only_store_file_is_read_and_writable_again_at_the_next_start(
    tmp_path: Path,
) -> None:
    store = open_store(tmp_path)
    with_content(store)
    before = snapshot(store)
    store.close()
    with read_only_file(tmp_path / "careline.sqlite3"):
        reopened = open_store(tmp_path)
        try:
            shows_all_and_refuses_writes(reopened, before)
            assert snapshot(reopened) == before
        finally:
            reopened.close()
    again = open_store(tmp_path)
    assert not again.read_only and again.health.problem is None
    again.repos.account.set_preference("locale", "en")
    assert again.repos.account.preference("locale") == "en"
    again.close()


def test_a_data_folder_that_cannot_be_made_runs_in_memory_and_says_so(tmp_path: Path) -> None:
    with read_only(tmp_path):
        folder = tmp_path / "careline"
        store = open_store(folder)
        try:
            assert store.path is None and not folder.exists()
            assert store.health.problem is StorageProblem.unavailable
            assert store.health.folder == folder
            store.repos.account.set_preference("locale", "es")  # kept for this run only
            assert store.health.problem is StorageProblem.unavailable
        finally:
            store.close()
