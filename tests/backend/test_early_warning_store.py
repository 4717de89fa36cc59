"""Early warning on the hub's database (SQLite and PostgreSQL): posts stored once and
without their author, warnings opened once per burst however often the posts are
replayed, an operator's actions on them audited, and old posts pruned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.backend.crud import audit, incident_reads, retention
from app.backend.db import Database
from app.backend.db.tables import social_posts
from app.backend.early_warning import store
from app.backend.problems import ProblemError
from app.backend.settings import HubSettings
from app.schemas.warnings import POST_TEXT_LIMIT, PostIn, WarningAction, WarningState

START = datetime(2015, 2, 17, tzinfo=UTC)


def storm_posts() -> list[PostIn]:
    """Six hours of a post about Chicago every 10 minutes, then 12 in ten minutes."""
    posts = [
        PostIn(id=f"calm{i}", created_at=START + timedelta(minutes=10 * i + 3), text="ORD ok")
        for i in range(36)
    ]
    burst = START + timedelta(hours=6)
    posts += [
        PostIn(
            id=f"storm{i}",
            created_at=burst + timedelta(seconds=40 * i),
            text=f"Stuck at O'Hare #{i} \x1b[31m<b>help</b>",
            author="@someone",
            url=f"https://social.example/{i}",
        )
        for i in range(12)
    ]
    return posts


def test_posts_are_kept_once_without_author_and_trimmed(db: Database) -> None:
    long = PostIn(id="long", created_at=START, text="x" * 15_000, author="@me", source="mastodon")
    assert len(long.text) == POST_TEXT_LIMIT and long.text.endswith("…")
    with db.write() as conn:
        assert len(store.add_posts(conn, [long, *storm_posts()[:3]])) == 4
        again = PostIn(id="long", created_at=START, text="other", source="mastodon")
        elsewhere = PostIn(id="long", created_at=START, text="other", source="import")
        assert store.add_posts(conn, [again, elsewhere]) == [elsewhere]
    with db.read() as conn:
        assert conn.execute(select(func.count()).select_from(social_posts)).scalar() == 5
        assert "author" not in social_posts.c


def test_a_burst_opens_one_warning_however_often_replayed(db: Database) -> None:
    with db.write() as conn:
        store.watch(conn, "ORD", ["O'Hare", "Chicago"])
        store.add_posts(conn, storm_posts())
        assert store.detect(conn) == 1
        assert store.detect(conn) == 0
        assert store.detect(conn, since=START + timedelta(hours=5)) == 0
    with db.read() as conn:
        [warning] = store.list_warnings(conn)
    assert warning.key == "ORD" and warning.state is WarningState.new
    assert warning.started_at == START + timedelta(hours=6)
    assert warning.detected_at == START + timedelta(hours=6, minutes=10)
    assert (warning.count, warning.baseline) == (12, 1.0)
    assert len(warning.samples) == 3
    assert all("\x1b" not in s.text and s.url for s in warning.samples)


def test_acknowledge_dismiss_publish_are_audited(db: Database) -> None:
    with db.write() as conn:
        store.watch(conn, "ORD", ["O'Hare"])
        store.add_posts(conn, storm_posts())
        store.detect(conn)
        [warning] = store.list_warnings(conn)
        ack = store.act(conn, None, warning.id, WarningAction(state=WarningState.acknowledged))
        assert ack.state is WarningState.acknowledged
        with pytest.raises(ProblemError):
            store.act(conn, None, warning.id, WarningAction(state=WarningState.new))
        published = store.act(
            conn, None, warning.id, WarningAction(state=WarningState.published, impact="major")
        )
        with pytest.raises(ProblemError) as refused:
            store.act(conn, None, warning.id, WarningAction(state=WarningState.dismissed))
        assert refused.value.problem.status == 409
    assert published.incident_id is not None
    with db.read() as conn:
        incident = incident_reads.get_incident(conn, incident_id=published.incident_id)
        entries = audit.list_entries(conn, limit=10).items
    assert incident.keys == ["ORD"] and incident.impact.value == "major"
    assert incident.started_at == warning.started_at
    assert "ORD" in incident.title
    assert [e.action for e in entries] == [
        "warning.published",
        "incident.publish",
        "warning.acknowledged",
    ]


def test_old_posts_are_pruned_after_the_setting(db: Database, settings: HubSettings) -> None:
    with db.write() as conn:
        store.add_posts(conn, storm_posts()[:5])
    later = datetime.now(UTC) + timedelta(days=13)
    assert retention.prune(db, settings, moment=later).posts == 0
    assert retention.prune(db, settings, moment=later + timedelta(days=2)).posts == 5
    shorter = settings.with_overrides(keep_social_posts_days=1)
    with db.write() as conn:
        store.add_posts(conn, storm_posts()[:2])
    assert retention.prune(db, shorter, moment=datetime.now(UTC) + timedelta(days=2)).posts == 2
