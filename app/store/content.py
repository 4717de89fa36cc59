"""Public content the hub owns (server wins): components, incidents, articles, categories,
callback queues. Articles are indexed for search by triggers; a bulk load takes them away
and rebuilds the index once at the end.

Lists of services, incidents, categories and queues are the same for every reader: the
last answer is kept until the store changes, so a server's visitors share one copy
(callers make new lists rather than change these)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar, cast

from pydantic import BaseModel

from app.schemas import (
    Article,
    CallbackQueue,
    Category,
    Component,
    Incident,
    IncidentKind,
    StatusSnapshot,
)
from app.schemas.status import StatusPage
from app.store import tables
from app.store.base import Repo
from app.store.database import Database
from app.store.migrations import run_script
from app.store.public_schema import SEARCH_REBUILD, SEARCH_TRIGGER_NAMES, SEARCH_TRIGGERS
from app.store.search_words import FALLBACK_LOCALE
from app.store.tables import Row

M = TypeVar("M", bound=BaseModel)


class Content(Repo):
    def __init__(self, db: Database) -> None:
        super().__init__(db)
        # Bumped on every article change, so search rebuilds its vocabulary lazily.
        self.generation = 0
        # A bulk load took the search triggers away and has not put them back yet (a full
        # disk cut it short): the next sync puts them back first.
        self.search_off = False
        self._kept: dict[tuple[object, ...], tuple[int, list[BaseModel]]] = {}

    def _shared(self, model: type[M], query: str, params: Sequence[str] = ()) -> list[M]:
        """The `data` of `query`'s rows as models, kept until this store's next change
        (its connection counts every row written)."""
        key = (model, query, *params)
        with self.db.transaction() as conn:
            stamp = conn.total_changes
            kept = self._kept.get(key)
            if kept is not None and kept[0] == stamp:
                return cast(list[M], kept[1])
            rows = conn.execute(query, params).fetchall()
        found = [model.model_validate_json(r["data"]) for r in rows]
        self._kept[key] = (stamp, cast(list[BaseModel], found))
        return found

    @contextmanager
    def bulk_articles(self) -> Iterator[None]:
        """Many article changes at once (a first sync, a reset): index them in one rebuild
        at the end instead of one by one."""
        self.pause_search()
        try:
            yield
        finally:
            self.restore_search()

    def pause_search(self) -> None:
        """Stop indexing article changes until `restore_search` rebuilds the indexes."""
        with self.db.transaction() as conn:
            for name in SEARCH_TRIGGER_NAMES:
                conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        self.search_off = True

    def restore_search(self) -> None:
        """Rebuild the search indexes and their triggers if a bulk load left them off."""
        with self.db.transaction() as conn:
            present = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            }
            if not set(SEARCH_TRIGGER_NAMES) <= present:
                for name in SEARCH_TRIGGER_NAMES:
                    conn.execute(f"DROP TRIGGER IF EXISTS {name}")
                run_script(conn, SEARCH_TRIGGERS + SEARCH_REBUILD)
                self.generation += 1
        self.search_off = False

    # Writes take the caller's connection: they run inside the sync engine's transaction.

    def save_component(self, conn: sqlite3.Connection, component: Component) -> None:
        record = {
            "id": component.id,
            "name": component.name,
            "group_name": component.group,
            "status": component.status.value,
            "position": component.position,
            "data": component.model_dump_json(),
        }
        tables.upsert(conn, "components", record, pk="id")

    def save_incident(self, conn: sqlite3.Connection, incident: Incident) -> None:
        resolved = incident.resolved_at.isoformat() if incident.resolved_at else None
        record = {
            "id": incident.id,
            "kind": incident.kind.value,
            "status": incident.status.value,
            "impact": incident.impact.value,
            "started_at": incident.started_at.isoformat(),
            "resolved_at": resolved,
            "updated_at": incident.updated_at.isoformat(),
            "data": incident.model_dump_json(),
        }
        tables.upsert(conn, "incidents", record, pk="id")

    def save_snapshot(self, conn: sqlite3.Connection, snapshot: StatusSnapshot) -> None:
        """The status document replaces the components and refreshes the incidents in it."""
        conn.execute("DELETE FROM components")
        for component in snapshot.components:
            self.save_component(conn, component)
        listed = snapshot.active_incidents + snapshot.maintenance + snapshot.recent_incidents
        for incident in listed:
            self.save_incident(conn, incident)
        tables.set_meta(conn, "company", snapshot.page.model_dump_json())

    def save_article(self, conn: sqlite3.Connection, article: Article) -> None:
        # SQL: a first sync saves thousands (sqlite-utils' upsert is ten times slower). An
        # upsert updates in place (not REPLACE), so the full-text triggers see an update.
        conn.execute(
            "INSERT INTO articles (id, slug, locale, title, body, category, tags, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
            "slug = excluded.slug, locale = excluded.locale, title = excluded.title, "
            "body = excluded.body, category = excluded.category, tags = excluded.tags, "
            "updated_at = excluded.updated_at",
            (
                article.id,
                article.slug,
                article.locale,
                article.title,
                article.body,
                article.category,
                "\n".join(article.tags),
                article.updated_at.isoformat(),
            ),
        )
        self.generation += 1

    def delete_article(self, conn: sqlite3.Connection, article_id: str) -> None:
        conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        self.generation += 1

    def save_category(self, conn: sqlite3.Connection, category: Category) -> None:
        record = {
            "id": category.id,
            "locale": category.locale,
            "title": category.title,
            "position": category.position,
            "data": category.model_dump_json(),
        }
        tables.upsert(conn, "categories", record, pk=("id", "locale"))

    def save_queue(self, conn: sqlite3.Connection, queue: CallbackQueue) -> None:
        record = {"id": queue.id, "position": queue.position, "data": queue.model_dump_json()}
        tables.upsert(conn, "queues", record, pk="id")

    # Reads, each in its own short transaction.

    def components(self) -> list[Component]:
        return self._shared(Component, "SELECT data FROM components ORDER BY position, id")

    def incidents(
        self, *, active: bool | None = None, kind: IncidentKind | None = None
    ) -> list[Incident]:
        """Newest first; `active=True` for unresolved ones."""
        query = "SELECT data FROM incidents WHERE 1 = 1"
        params: list[str] = []
        if active is not None:
            query += " AND resolved_at IS NULL" if active else " AND resolved_at IS NOT NULL"
        if kind is not None:
            query += " AND kind = ?"
            params.append(kind.value)
        return self._shared(Incident, query + " ORDER BY started_at DESC", params)

    def incident(self, incident_id: str) -> Incident | None:
        with self.db.transaction() as conn:
            row = tables.get(conn, "incidents", incident_id)
        return Incident.model_validate_json(row["data"]) if row else None

    def article(self, slug: str, locale: str) -> Article | None:
        """The article in `locale`, else in the company's default language."""
        default = self.default_locale()
        where = "slug = ? AND locale IN (?, ?)"
        # The translation first: it is the row not in the default language (if any).
        rows = sorted(
            self.rows("articles", where, (slug, locale, default)),
            key=lambda row: row["locale"] == default,
        )
        return _article(rows[0]) if rows else None

    def articles(self, *, locale: str, category: str | None = None) -> list[Article]:
        where = "locale = ?"
        params = [locale]
        if category:
            where += " AND category = ?"
            params.append(category)
        return [_article(r) for r in self.rows("articles", where, params, order_by="title")]

    def categories(self, locale: str) -> list[Category]:
        query = "SELECT data FROM categories WHERE locale = ? ORDER BY position, id"
        return self._shared(Category, query, [locale])

    def queues(self) -> list[CallbackQueue]:
        return self._shared(CallbackQueue, "SELECT data FROM queues ORDER BY position, id")

    def default_locale(self) -> str:
        """The language the company writes in first, as its status page says."""
        company = self.company()
        return company.default_locale if company else FALLBACK_LOCALE

    def company(self) -> StatusPage | None:
        """The company as the last status document described it (None before one came)."""
        found = self._shared(StatusPage, "SELECT value AS data FROM meta WHERE key = 'company'")
        return found[0] if found else None


def _article(row: Row) -> Article:
    """An article as `save_article` keeps it (its tags one a line)."""
    return Article.model_validate({**row, "tags": [t for t in row["tags"].split("\n") if t]})
