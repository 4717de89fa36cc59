"""Applying what the hub sends: pulled changes with their cursor in one transaction, and
the results of a push."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from app.schemas import (
    Article,
    Callback,
    CallbackQueue,
    Case,
    Category,
    Change,
    Component,
    Event,
    Incident,
    MutationResult,
    Rejection,
    StatusSnapshot,
    Subscriptions,
)
from app.store.base import Repo

# A refusal that came without a reason still shows one.
UNEXPLAINED = Rejection(code="refused", detail="The hub refused this change.")
PRIVATE_TABLES = {"case": ("cases", "server_id"), "callback": ("callbacks", "server_id")}


class Applier(Repo):
    def apply_changes(
        self, feed: str, changes: Sequence[Change], cursor: str, *, reset: bool = False
    ) -> None:
        """Apply one page of a feed and move its cursor, all or nothing."""
        with self.store.transaction() as conn:
            if reset:
                self._drop_feed_content(conn, feed)
            for change in changes:
                self._apply(conn, change)
            self.store.repos.account.save_feed(conn, feed, cursor=cursor)

    def apply_event(self, event: Event) -> bool:
        """Apply a live event's entity and remember the stream's position, in one
        transaction; False when the store already holds that version or a newer one."""
        with self.store.transaction() as conn:
            self.store.repos.account.note_event(conn, event.id)
            known = conn.execute(
                "SELECT version FROM entity_versions WHERE entity = ? AND id = ?",
                (event.kind, event.entity_id),
            ).fetchone()
            if known is not None and known["version"] >= event.version:
                return False
            change = Change(
                entity=event.kind,
                op="upsert",
                id=event.entity_id,
                version=event.version,
                data=event.data,
            )
            self._apply(conn, change)
            return True

    def apply_snapshot(self, snapshot: StatusSnapshot, etag: str | None) -> None:
        with self.store.transaction() as conn:
            self.store.repos.content.save_snapshot(conn, snapshot)
            self.store.repos.account.save_feed(conn, "status", etag=etag)

    def touch_feed(self, feed: str) -> None:
        """Nothing new (304): remember that the feed was checked."""
        current = self.store.repos.account.feed(feed)
        with self.store.transaction() as conn:
            self.store.repos.account.save_feed(conn, feed, cursor=current.cursor, etag=current.etag)

    def _drop_feed_content(self, conn: sqlite3.Connection, feed: str) -> None:
        """`reset`: the hub will resend everything; forget what it owns (never the outbox
        or anything still waiting in it)."""
        content = self.store.repos.content
        for (article_id,) in conn.execute("SELECT id FROM articles").fetchall():
            content.delete_article(conn, article_id)
        conn.execute("DELETE FROM categories")
        if feed == "private":
            for table in ("components", "incidents", "queues"):
                conn.execute(f"DELETE FROM {table}")
            conn.execute(
                "DELETE FROM cases WHERE sync_state = 'synced' AND local_id NOT IN "
                "(SELECT entity_id FROM outbox WHERE entity_id IS NOT NULL)"
            )
            conn.execute(
                "DELETE FROM callbacks WHERE sync_state = 'synced' AND local_id NOT "
                "IN (SELECT entity_id FROM outbox WHERE entity_id IS NOT NULL)"
            )

    def _apply(self, conn: sqlite3.Connection, change: Change) -> None:
        repos = self.store.repos
        data: dict[str, Any] | None = change.data
        known = conn.execute(
            "SELECT version FROM entity_versions WHERE entity = ? AND id = ?",
            (change.entity, change.id),
        ).fetchone()
        if known is not None and known["version"] > change.version and change.op == "upsert":
            return  # a live event already brought a newer version
        conn.execute(
            "INSERT INTO entity_versions (entity, id, version) VALUES (?, ?, ?) "
            "ON CONFLICT (entity, id) DO UPDATE SET version = excluded.version",
            (change.entity, change.id, change.version),
        )
        if change.op == "delete" or data is None:
            self._delete(conn, change)
            return
        match change.entity:
            case "component":
                repos.content.save_component(conn, Component.model_validate(data))
            case "incident":
                repos.content.save_incident(conn, Incident.model_validate(data))
            case "article":
                repos.content.save_article(conn, Article.model_validate(data))
            case "category":
                repos.content.save_category(conn, Category.model_validate(data))
            case "queue":
                repos.content.save_queue(conn, CallbackQueue.model_validate(data))
            case "case":
                repos.cases.apply_server(conn, Case.model_validate(data))
            case "callback":
                repos.callbacks.apply_server(conn, Callback.model_validate(data))
            case "subscriptions":
                pending = conn.execute(
                    "SELECT 1 FROM subscriptions WHERE sync_state = 'pending'"
                ).fetchone()
                if not pending:
                    repos.account.save_subscriptions(conn, Subscriptions.model_validate(data))
            case _:
                pass  # An entity this version does not know yet: newer hubs may send more.

    def _delete(self, conn: sqlite3.Connection, change: Change) -> None:
        match change.entity:
            case "article":
                self.store.repos.content.delete_article(conn, change.id)
            case "category":
                locale, _, category_id = change.id.partition(":")
                conn.execute(
                    "DELETE FROM categories WHERE id = ? AND locale = ?", (category_id, locale)
                )
            case "component" | "incident" | "queue":
                table = {"component": "components", "incident": "incidents", "queue": "queues"}[
                    change.entity
                ]
                conn.execute(f"DELETE FROM {table} WHERE id = ?", (change.id,))
            case "case" | "callback":
                table, column = PRIVATE_TABLES[change.entity]
                conn.execute(
                    f"DELETE FROM {table} WHERE {column} = ?",
                    (change.id,),
                )
            case _:
                pass

    def apply_results(self, results: Sequence[MutationResult]) -> None:
        """Confirm applied (and duplicate) mutations and keep rejected ones with their
        reason; all in one transaction."""
        repos = self.store.repos
        with self.store.transaction() as conn:
            for result in results:
                row = conn.execute(
                    "SELECT entity, entity_id FROM outbox WHERE seq = ?", (result.seq,)
                ).fetchone()
                if row is None:
                    continue
                entity, entity_id = row["entity"], row["entity_id"]
                if result.status == "rejected":
                    reason = result.error or UNEXPLAINED
                    repos.outbox.mark_rejected(conn, result.seq, reason)
                    self._reject(conn, entity, entity_id, reason)
                    continue
                repos.outbox.remove(conn, result.seq)
                self._confirm(conn, entity, entity_id, result)

    def _confirm(
        self,
        conn: sqlite3.Connection,
        entity: str | None,
        entity_id: str | None,
        result: MutationResult,
    ) -> None:
        repos = self.store.repos
        returned = result.entity or {}
        data = returned.get("data")
        if returned.get("type") == "case" and data:
            repos.cases.apply_server(conn, Case.model_validate(data))
        elif returned.get("type") == "callback" and data:
            repos.callbacks.apply_server(conn, Callback.model_validate(data))
        elif entity in ("feedback", "subscriptions") and entity_id is not None:
            repos.account.confirm(conn, entity, entity_id, "synced")

    def _reject(
        self,
        conn: sqlite3.Connection,
        entity: str | None,
        entity_id: str | None,
        reason: Rejection,
    ) -> None:
        repos = self.store.repos
        if entity_id is None:
            return
        if entity in ("case", "message"):
            repos.cases.reject(conn, entity, entity_id, reason)
        elif entity == "callback":
            repos.callbacks.reject(conn, entity_id, reason)
        elif entity == "subscriptions":
            repos.account.reject_subscriptions(conn)
        elif entity == "feedback":
            repos.account.confirm(conn, entity, entity_id, "rejected")
