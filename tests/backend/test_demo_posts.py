"""The demo's public posts give early warning a week to learn from and one burst to find:
the storm at O'Hare, seen in posts before the demo's incident was published."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.backend.db import Database
from app.backend.demo import load_demo
from app.backend.demo_posts import demo_posts
from app.backend.early_warning import store

AT = datetime(2026, 12, 8, 2, 0, tzinfo=UTC)


def test_the_posts_are_the_same_for_the_same_moment() -> None:
    first, second = demo_posts(AT), demo_posts(AT)
    assert [(p.id, p.created_at, p.text) for p in first] == [
        (p.id, p.created_at, p.text) for p in second
    ]
    assert all(AT - timedelta(days=8) < p.created_at < AT for p in first)


def test_the_demo_warns_of_the_storm_before_it_was_published(db: Database) -> None:
    with db.write() as conn:
        report = load_demo(conn, at=AT)
    assert report.posts > 1_000 and report.warnings == 1
    with db.read() as conn:
        [warning] = store.list_warnings(conn, state=None, limit=10)
    published = AT - timedelta(hours=9)  # the storm's first update in incidents.yaml
    assert warning.key == "ORD"
    assert warning.started_at <= published - timedelta(hours=1)
    assert warning.detected_at <= published - timedelta(minutes=30)
    with db.write() as conn:
        again = load_demo(conn, at=AT)
    assert (again.posts, again.warnings) == (0, 0)
