"""The change feed's tombstones (records of removed articles and records) are pruned with
the rest of retention, by the hub and by `python -m app.backend prune`: never before
`keep_tombstones_days`, and a cursor from before the pruned ones then resets."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from app.backend.cli import main
from app.backend.crud import kb, retention
from app.backend.db import Database
from app.backend.db.tables import articles, meta, sync_changes
from app.backend.settings import HubSettings
from app.backend.util import format_time, now
from tests.support import Company


def tombstones(db: Database) -> set[str]:
    with db.read() as conn:
        query = select(sync_changes.c.entity_id).where(sync_changes.c.op == "delete")
        return set(conn.execute(query).scalars())


def prune_at(db: Database, settings: HubSettings, moment: datetime) -> int:
    return retention.prune(db, settings, moment=moment).tombstones


async def test_tombstones_go_once_older_than_kept_and_older_cursors_reset(
    client: httpx.AsyncClient, db: Database, settings: HubSettings, company: Company
) -> None:
    before_removal = (await client.get("/v1/kb/changes")).json()
    assert before_removal["has_more"] is False
    with db.write() as conn:
        kb.delete_article(conn, slug="lost-bag", locale="en")
    start = now()
    assert prune_at(db, settings, start) == 0, "only marks where the feed is"
    with db.write() as conn:
        kb.delete_article(conn, slug="bag-fees", locale="en")
    assert tombstones(db) == {"en:lost-bag", "en:bag-fees"}

    assert prune_at(db, settings, start + timedelta(days=29)) == 0
    assert prune_at(db, settings, start + timedelta(days=31)) == 1
    assert tombstones(db) == {"en:bag-fees"}, "one made after the mark stays"
    older = await client.get("/v1/kb/changes", params={"cursor": before_removal["cursor"]})
    assert older.json()["reset"] is True, "it would miss that lost-bag was removed"
    assert "en:bag-fees" in {change["id"] for change in older.json()["changes"]}

    assert prune_at(db, settings, start + timedelta(days=32)) == 0
    assert prune_at(db, settings, start + timedelta(days=62)) == 1
    assert tombstones(db) == set()


def test_the_prune_command_removes_old_tombstones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CARELINE_DATABASE_URL", raising=False)
    folder = ["--data-dir", str(tmp_path / "hub")]
    assert main(["demo", "load", *folder]) == 0
    db = Database(f"sqlite:///{tmp_path / 'hub' / 'hub.sqlite3'}")
    try:
        with db.write() as conn:
            one = conn.execute(select(articles.c.slug, articles.c.locale).limit(1)).one()
            kb.delete_article(conn, slug=one.slug, locale=one.locale)
        assert main(["prune", *folder]) == 0
        assert "0 tombstones" in capsys.readouterr().out
        with db.write() as conn:  # the mark that prune set, made 40 days old
            mark = conn.execute(select(meta.c.value).where(meta.c.key == "tombstone_mark"))
            seq, _, _ = mark.scalar_one().partition(" ")
            old = f"{seq} {format_time(now() - timedelta(days=40))}"
            conn.execute(meta.update().where(meta.c.key == "tombstone_mark").values(value=old))
        assert main(["prune", *folder]) == 0
        assert "1 tombstones" in capsys.readouterr().out
        assert tombstones(db) == set()
    finally:
        db.dispose()
