"""Public content the hub owns (server wins): components, incidents, articles, categories,
callback queues."""

from __future__ import annotations

import sqlite3

from app.schemas import (
    Article,
    CallbackQueue,
    Category,
    Component,
    Incident,
    IncidentKind,
    StatusSnapshot,
)
from app.store.base import Repo


class Content(Repo):
    # Writes take the caller's connection: they run inside the sync engine's transaction.

    def save_component(self, conn: sqlite3.Connection, component: Component) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO components (id, name, group_name, status, position, data) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                component.id,
                component.name,
                component.group,
                component.status.value,
                component.position,
                component.model_dump_json(),
            ),
        )

    def save_incident(self, conn: sqlite3.Connection, incident: Incident) -> None:
        resolved = incident.resolved_at.isoformat() if incident.resolved_at else None
        conn.execute(
            "INSERT OR REPLACE INTO incidents (id, kind, status, impact, started_at, resolved_at,"
            " updated_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                incident.id,
                incident.kind.value,
                incident.status.value,
                incident.impact.value,
                incident.started_at.isoformat(),
                resolved,
                incident.updated_at.isoformat(),
                incident.model_dump_json(),
            ),
        )

    def save_snapshot(self, conn: sqlite3.Connection, snapshot: StatusSnapshot) -> None:
        """The status document replaces the components and refreshes the incidents in it."""
        conn.execute("DELETE FROM components")
        for component in snapshot.components:
            self.save_component(conn, component)
        listed = snapshot.active_incidents + snapshot.maintenance + snapshot.recent_incidents
        for incident in listed:
            self.save_incident(conn, incident)

    def save_article(self, conn: sqlite3.Connection, article: Article) -> None:
        # Update in place (not REPLACE) so the full-text triggers see an update.
        values = (
            article.slug,
            article.locale,
            article.title,
            article.body,
            article.category,
            "\n".join(article.tags),
            article.updated_at.isoformat(),
            article.id,
        )
        updated = conn.execute(
            "UPDATE articles SET slug = ?, locale = ?, title = ?, body = ?, category = ?, "
            "tags = ?, updated_at = ? WHERE id = ?",
            values,
        ).rowcount
        if not updated:
            conn.execute(
                "INSERT INTO articles (slug, locale, title, body, category, tags, updated_at, "
                "id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
        self.store.kb_generation += 1

    def delete_article(self, conn: sqlite3.Connection, article_id: str) -> None:
        conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        self.store.kb_generation += 1

    def save_category(self, conn: sqlite3.Connection, category: Category) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO categories (id, locale, title, position, data) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                category.id,
                category.locale,
                category.title,
                category.position,
                category.model_dump_json(),
            ),
        )

    def save_queue(self, conn: sqlite3.Connection, queue: CallbackQueue) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO queues (id, position, data) VALUES (?, ?, ?)",
            (queue.id, queue.position, queue.model_dump_json()),
        )

    # Reads, each in its own short transaction.

    def components(self) -> list[Component]:
        with self.store.transaction() as conn:
            rows = conn.execute("SELECT data FROM components ORDER BY position, id").fetchall()
        return [Component.model_validate_json(r["data"]) for r in rows]

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
        with self.store.transaction() as conn:
            rows = conn.execute(query + " ORDER BY started_at DESC", params).fetchall()
        return [Incident.model_validate_json(r["data"]) for r in rows]

    def incident(self, incident_id: str) -> Incident | None:
        with self.store.transaction() as conn:
            row = conn.execute("SELECT data FROM incidents WHERE id = ?", (incident_id,)).fetchone()
        return Incident.model_validate_json(row["data"]) if row else None

    def article(self, slug: str, locale: str) -> Article | None:
        """The article in `locale`, else its English original."""
        with self.store.transaction() as conn:
            rows = conn.execute(
                "SELECT * FROM articles WHERE slug = ? AND locale IN (?, 'en') "
                "ORDER BY locale = ? DESC",
                (slug, locale, locale),
            ).fetchall()
        return _article(rows[0]) if rows else None

    def articles(self, *, locale: str, category: str | None = None) -> list[Article]:
        query = "SELECT * FROM articles WHERE locale = ?"
        params = [locale]
        if category:
            query += " AND category = ?"
            params.append(category)
        with self.store.transaction() as conn:
            rows = conn.execute(query + " ORDER BY title", params).fetchall()
        return [_article(r) for r in rows]

    def categories(self, locale: str) -> list[Category]:
        with self.store.transaction() as conn:
            rows = conn.execute(
                "SELECT data FROM categories WHERE locale = ? ORDER BY position, id", (locale,)
            ).fetchall()
        return [Category.model_validate_json(r["data"]) for r in rows]

    def queues(self) -> list[CallbackQueue]:
        with self.store.transaction() as conn:
            rows = conn.execute("SELECT data FROM queues ORDER BY position, id").fetchall()
        return [CallbackQueue.model_validate_json(r["data"]) for r in rows]


def _article(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"],
        slug=row["slug"],
        locale=row["locale"],
        title=row["title"],
        body=row["body"],
        category=row["category"],
        tags=[t for t in row["tags"].split("\n") if t],
        updated_at=row["updated_at"],
    )
