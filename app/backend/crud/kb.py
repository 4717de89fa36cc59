"""Knowledge base: articles, categories and feedback."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, or_, select

from app.backend.crud.changes import record_change
from app.backend.crud.rows import one_or_404
from app.backend.db.tables import article_feedback, articles, categories
from app.backend.problems import not_found
from app.backend.util import digest, dumps, format_time, loads, now, upsert
from app.schemas import Article, ArticleFeedback, ArticleVote, Category


def article_id(slug: str, locale: str) -> str:
    return f"{locale}:{slug}"


def article_from_row(row: Row[Any]) -> Article:
    return Article(
        id=row.id,
        slug=row.slug,
        locale=row.locale,
        title=row.title,
        body=row.body,
        category=row.category,
        tags=loads(row.tags),
        published=row.published,
        updated_at=row.updated_at,
    )


def save_category(conn: Connection, *, category: Category) -> Category:
    key = [categories.c.id == category.id, categories.c.locale == category.locale]
    old = conn.execute(select(categories.c.version).where(*key)).scalar()
    version = (old or 0) + 1
    values = category.model_dump()
    upsert(conn, categories, {**values, "version": version}, key=["id", "locale"])
    record_change(
        conn,
        entity="category",
        entity_id=f"{category.locale}:{category.id}",
        version=version,
        data=category.model_dump(mode="json"),
    )
    return category


def list_categories(conn: Connection, *, locale: str | None = None) -> list[Category]:
    query = select(categories).order_by(categories.c.position, categories.c.id)
    if locale:
        query = query.where(categories.c.locale == locale)
    return [
        Category(
            id=r.id,
            locale=r.locale,
            title=r.title,
            description=r.description,
            icon=r.icon,
            position=r.position,
        )
        for r in conn.execute(query)
    ]


def save_article(
    conn: Connection,
    *,
    slug: str,
    locale: str,
    title: str,
    body: str,
    category: str,
    tags: Sequence[str] = (),
    published: bool = True,
) -> tuple[Article, bool]:
    """Create or replace an article; returns it and whether anything changed.
    Unpublishing leaves a tombstone in the feed so clients forget their copy."""
    ident = article_id(slug, locale)
    old = conn.execute(select(articles).where(articles.c.id == ident)).one_or_none()
    tag_list = sorted({t.strip().lower() for t in tags if t.strip()})
    content = (title, body, category, tag_list, published)
    if (
        old is not None
        and (old.title, old.body, old.category, loads(old.tags), old.published) == content
    ):
        return article_from_row(old), False
    version = (old.version if old is not None else 0) + 1
    upsert(
        conn,
        articles,
        {
            "id": ident,
            "slug": slug,
            "locale": locale,
            "title": title,
            "body": body,
            "category": category,
            "tags": dumps(tag_list),
            "published": published,
            "version": version,
            "updated_at": format_time(now()),
        },
        key=["id"],
    )
    article = get_article(conn, article_ref=ident, include_unpublished=True)
    data = article.model_dump(mode="json") if published else None
    record_change(conn, entity="article", entity_id=ident, version=version, data=data)
    return article, True


def delete_article(conn: Connection, *, slug: str, locale: str) -> None:
    ident = article_id(slug, locale)
    version = conn.execute(select(articles.c.version).where(articles.c.id == ident)).scalar()
    if version is None:
        raise not_found("article")
    conn.execute(delete(articles).where(articles.c.id == ident))
    record_change(conn, entity="article", entity_id=ident, version=version + 1, data=None)


def get_article(
    conn: Connection, *, article_ref: str, locale: str = "en", include_unpublished: bool = False
) -> Article:
    """Find an article by id (`en:slug`) or by slug in `locale`."""
    ident = article_ref if ":" in article_ref else article_id(article_ref, locale)
    query = select(articles).where(articles.c.id == ident)
    if not include_unpublished:
        query = query.where(articles.c.published.is_(True))
    return article_from_row(one_or_404(conn, query, what="article"))


def list_articles(
    conn: Connection, *, locale: str | None, after: str | None, limit: int
) -> tuple[list[Article], str | None]:
    query = select(articles).where(articles.c.published.is_(True)).order_by(articles.c.id)
    if locale:
        query = query.where(articles.c.locale == locale)
    if after:
        query = query.where(articles.c.id > after)
    rows = conn.execute(query.limit(limit + 1)).all()
    page = [article_from_row(r) for r in rows[:limit]]
    return page, (page[-1].id if len(rows) > limit else None)


def _voted_article(conn: Connection, ref: str) -> str:
    query = (
        select(articles.c.id)
        .where(or_(articles.c.id == ref, articles.c.slug == ref))
        .order_by(articles.c.id)
    )
    return str(one_or_404(conn, query, what="article").id)


def record_vote(conn: Connection, *, vote: ArticleVote, address: str) -> str:
    """Count an anonymous vote at once; returns the article id. The voter is the device's
    key, else the caller's address, kept only as a hash: a later vote by the same voter
    replaces the earlier one on that article."""
    ident = _voted_article(conn, vote.article)
    voter = f"key:{vote.voter}" if vote.voter else f"address:{address}"
    upsert(
        conn,
        article_feedback,
        {
            "article_id": ident,
            "voter_hash": digest(voter),
            "customer_id": None,
            "helpful": vote.helpful,
            "comment": (vote.comment or "").strip() or None,
            "created_at": format_time(now()),
        },
        key=["article_id", "voter_hash"],
    )
    return ident


def record_feedback(conn: Connection, *, feedback: ArticleFeedback, customer_id: str | None) -> str:
    """Store a vote; returns the article id. One customer's later vote replaces theirs."""
    row_id = _voted_article(conn, feedback.article)
    if customer_id is not None:
        conn.execute(
            delete(article_feedback).where(
                article_feedback.c.article_id == row_id,
                article_feedback.c.customer_id == customer_id,
            )
        )
    conn.execute(
        insert(article_feedback).values(
            article_id=row_id,
            customer_id=customer_id,
            helpful=feedback.helpful,
            comment=(feedback.comment or "").strip() or None,
            created_at=format_time(now()),
        )
    )
    return row_id


def feedback_summary(conn: Connection, *, article_ref: str) -> dict[str, int]:
    rows = (
        conn.execute(
            select(article_feedback.c.helpful).where(article_feedback.c.article_id == article_ref)
        )
        .scalars()
        .all()
    )
    return {"helpful": sum(1 for r in rows if r), "not_helpful": sum(1 for r in rows if not r)}
