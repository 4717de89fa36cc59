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
    LocalStores,
    StorageFull,
    StorageProblem,
    StorageReadOnly,
    open_local,
)
from app.store.faults import as_storage_error
from app.store.uploads import NewFile
from tests.store.disk import read_only, read_only_file, tiny_disk


def with_content(store: LocalStores) -> str:
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
    with store.public.db.transaction() as conn:
        store.public.content.save_article(conn, article)
    store.personal.account.set_preference("locale", "es")
    return store.personal.cases.open(
        subject="Stuck at ORD", description="NW 412 was cancelled", category="general", files=[]
    )


def snapshot(store: LocalStores) -> tuple[object, ...]:
    return (
        [c.local_id for c in store.personal.cases.list()],
        store.personal.outbox.counts(),
        store.personal.account.preference("locale"),
        [hit.slug for hit in store.public.search.search("lost bag")],
    )


def intact(store: LocalStores) -> bool:
    return store.personal.db.integrity_ok() and store.public.db.integrity_ok()


def test_a_full_disk_refuses_a_write_whole_and_the_store_recovers(tmp_path: Path) -> None:
    with tiny_disk(tmp_path / "disk") as disk:
        store = open_local(disk.folder)
        try:
            case_id = with_content(store)
            before = snapshot(store)
            disk.fill(store.personal.db, store.public.db)
            with pytest.raises(StorageFull):
                store.personal.cases.reply(case_id, "Any news?", [])
            with pytest.raises(StorageFull):
                store.personal.cases.open(
                    subject="Second", description="Another", category="general", files=[]
                )
            health = store.personal.db.health
            assert health is store.public.db.health, "one disk, one health"
            assert health.problem is StorageProblem.full
            assert snapshot(store) == before, "nothing half-written, everything still readable"
            assert intact(store)
            with pytest.raises(StorageFull):
                store.personal.db.check_space()
            disk.free()
            store.personal.db.check_space()
            assert health.problem is None
            store.personal.cases.reply(case_id, "Any news?", [])
            assert store.personal.outbox.counts()["pending"] == 2
        finally:
            store.close()


def test_sqlites_own_limit_is_the_same_fault(tmp_path: Path) -> None:
    """SQLite's page limit gives the same "database or disk is full" without a mount: a
    case with a 1 MB file does not fit and leaves nothing behind."""
    store = open_local(tmp_path)
    try:
        with_content(store)
        before = snapshot(store)
        conn = store.personal.db.conn
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        big = NewFile.checked("notes.txt", b"x" * 1_000_000)
        with pytest.raises(StorageFull) as refused:
            store.personal.cases.open(subject="S", description="D", category="general", files=[big])
        assert "database or disk is full" in str(refused.value)
        assert snapshot(store) == before and intact(store)
        assert store.personal.db.health.problem is StorageProblem.full
        conn.execute(f"PRAGMA max_page_count = {pages * 100}")
        store.personal.cases.open(subject="S", description="D", category="general", files=[big])
        assert store.personal.db.health.problem is None
    finally:
        store.close()


def test_file_system_errors_are_the_same_faults() -> None:
    assert isinstance(as_storage_error(OSError(errno.ENOSPC, "No space")), StorageFull)
    assert isinstance(as_storage_error(OSError(errno.EROFS, "Read-only")), StorageReadOnly)
    assert as_storage_error(OSError(errno.ECONNRESET, "reset")) is None
    assert as_storage_error(ValueError("a bug")) is None


def shows_all_and_refuses_writes(store: LocalStores, before: tuple[object, ...]) -> None:
    """A store opened read-only: it says so, shows what was saved and refuses writes."""
    assert store.personal.db.read_only
    assert store.personal.db.health.problem is StorageProblem.read_only
    assert snapshot(store) == before
    with pytest.raises(StorageReadOnly):
        store.personal.account.set_preference("locale", "en")


def test_a_read_only_data_folder_shows_everything_saved(tmp_path: Path) -> None:
    store = open_local(tmp_path)
    with_content(store)
    before = snapshot(store)
    store.close()
    digest = hashlib.sha256((tmp_path / "careline.sqlite3").read_bytes()).hexdigest()
    with read_only(tmp_path):
        reopened = open_local(tmp_path)
        try:
            shows_all_and_refuses_writes(reopened, before)
            assert reopened.public.db.read_only
        finally:
            reopened.close()
    assert hashlib.sha256((tmp_path / "careline.sqlite3").read_bytes()).hexdigest() == digest
    again = open_local(tmp_path)
    assert not again.personal.db.read_only and again.personal.db.health.problem is None
    assert snapshot(again) == before
    again.close()


def test_a_read_only_store_file_is_read_and_writable_again_at_the_next_start(
    tmp_path: Path,
) -> None:
    store = open_local(tmp_path)
    with_content(store)
    before = snapshot(store)
    store.close()
    with read_only_file(tmp_path / "careline.sqlite3"):
        reopened = open_local(tmp_path)
        try:
            shows_all_and_refuses_writes(reopened, before)
            assert snapshot(reopened) == before
        finally:
            reopened.close()
    again = open_local(tmp_path)
    assert not again.personal.db.read_only and again.personal.db.health.problem is None
    again.personal.account.set_preference("locale", "en")
    assert again.personal.account.preference("locale") == "en"
    again.close()


def test_a_data_folder_that_cannot_be_made_runs_in_memory_and_says_so(tmp_path: Path) -> None:
    with read_only(tmp_path):
        folder = tmp_path / "careline"
        store = open_local(folder)
        try:
            assert store.personal.db.path is None and store.public.db.path is None
            assert not folder.exists()
            health = store.personal.db.health
            assert health.problem is StorageProblem.unavailable and health.folder == folder
            store.personal.account.set_preference("locale", "es")  # kept for this run only
            assert health.problem is StorageProblem.unavailable
        finally:
            store.close()
