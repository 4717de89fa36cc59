"""Applying public content from the hub to the public store: the status document, the
knowledge-base feed page by page with its cursor, the callback queues, and an incident a
live event brought. Server wins; a live event never undoes a newer version."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from app.schemas import (
    Article,
    CallbackQueue,
    Category,
    Change,
    Component,
    Incident,
    StatusSnapshot,
)
from app.store.base import Repo, held_version, hold_version
from app.store.content import Content
from app.store.database import Database
from app.store.feeds import Feeds

TABLES = {"component": "components", "incident": "incidents", "queue": "queues"}
ENTITIES = frozenset({"component", "incident", "article", "category", "queue"})


class ContentApplier(Repo):
    def __init__(self, db: Database, *, content: Content, feeds: Feeds) -> None:
        super().__init__(db)
        self.content = content
        self.feeds = feeds

    def apply_changes(
        self,
        feed: str | None,
        changes: Sequence[Change],
        cursor: str | None,
        *,
        reset: bool = False,
    ) -> None:
        """Apply one page of a feed and move its cursor, all or nothing (`feed` None: the
        customer's feed, whose cursor the personal store keeps). `reset`: the hub sends
        everything again, so what it no longer has goes."""
        with self.db.transaction() as conn:
            if reset:
                for (article_id,) in conn.execute("SELECT id FROM articles").fetchall():
                    self.content.delete_article(conn, article_id)
                conn.execute("DELETE FROM categories")
            for change in changes:
                self._apply(conn, change)
            if feed is not None:
                self.feeds.save(conn, feed, cursor=cursor)

    def apply_change(self, change: Change) -> None:
        """One entity a live event brought (kept unless the store holds a newer one)."""
        with self.db.transaction() as conn:
            self._apply(conn, change)

    def apply_snapshot(self, snapshot: StatusSnapshot, etag: str | None) -> None:
        with self.db.transaction() as conn:
            self.content.save_snapshot(conn, snapshot)
            self.feeds.save(conn, "status", etag=etag)

    def apply_queues(self, queues: Sequence[CallbackQueue], etag: str | None) -> None:
        """The hub's queues replace the ones held."""
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM queues")
            for queue in queues:
                self.content.save_queue(conn, queue)
            self.feeds.save(conn, "queues", etag=etag)

    def _apply(self, conn: sqlite3.Connection, change: Change) -> None:
        held = held_version(conn, change.entity, change.id)
        if held is not None and held > change.version and change.op == "upsert":
            return  # a live event already brought a newer version
        hold_version(conn, change.entity, change.id, change.version)
        data = change.data
        if change.op == "delete" or data is None:
            self._delete(conn, change)
            return
        match change.entity:
            case "component":
                self.content.save_component(conn, Component.model_validate(data))
            case "incident":
                self.content.save_incident(conn, Incident.model_validate(data))
            case "article":
                self.content.save_article(conn, Article.model_validate(data))
            case "category":
                self.content.save_category(conn, Category.model_validate(data))
            case "queue":
                self.content.save_queue(conn, CallbackQueue.model_validate(data))
            case _:
                pass  # An entity this version does not know yet: newer hubs may send more.

    def _delete(self, conn: sqlite3.Connection, change: Change) -> None:
        match change.entity:
            case "article":
                self.content.delete_article(conn, change.id)
            case "category":
                locale, _, category_id = change.id.partition(":")
                conn.execute(
                    "DELETE FROM categories WHERE id = ? AND locale = ?", (category_id, locale)
                )
            case "component" | "incident" | "queue":
                conn.execute(f"DELETE FROM {TABLES[change.entity]} WHERE id = ?", (change.id,))
            case _:
                pass
