"""How helpful customers find each article: their votes summed, worst first, with what
they wrote alongside a "No"."""

from __future__ import annotations

from sqlalchemy import Connection, Float, case, cast, func, select

from app.backend.db.tables import article_feedback, articles
from app.schemas.console import ArticleHelpfulness

COMMENTS_PER_ARTICLE = 20


def helpfulness(conn: Connection, *, locale: str | None, limit: int) -> list[ArticleHelpfulness]:
    """Articles with votes, the largest share of "No" first, then the most votes."""
    helpful = func.sum(case((article_feedback.c.helpful.is_(True), 1), else_=0))
    unhelpful = func.sum(case((article_feedback.c.helpful.is_(True), 0), else_=1))
    total = func.count()
    query = (
        select(
            articles.c.id,
            articles.c.slug,
            articles.c.locale,
            articles.c.title,
            helpful.label("helpful"),
            unhelpful.label("unhelpful"),
        )
        .join(articles, articles.c.id == article_feedback.c.article_id)
        .group_by(articles.c.id, articles.c.slug, articles.c.locale, articles.c.title)
        .order_by((cast(unhelpful, Float) / total).desc(), total.desc(), articles.c.id)
        .limit(limit)
    )
    if locale:
        query = query.where(articles.c.locale == locale)
    rows = conn.execute(query).all()
    comments = _comments(conn, [r.id for r in rows])
    return [
        ArticleHelpfulness(
            slug=r.slug,
            locale=r.locale,
            title=r.title,
            helpful=int(r.helpful),
            unhelpful=int(r.unhelpful),
            comments=comments.get(r.id, []),
        )
        for r in rows
    ]


def _comments(conn: Connection, article_ids: list[str]) -> dict[str, list[str]]:
    """What came with each article's "No" votes, newest first (the latest few)."""
    if not article_ids:
        return {}
    feedback = article_feedback.c
    newest = func.row_number().over(
        partition_by=feedback.article_id, order_by=(feedback.created_at.desc(), feedback.id.desc())
    )
    ranked = (
        select(feedback.article_id, feedback.comment, newest.label("n"))
        .where(
            feedback.article_id.in_(article_ids),
            feedback.helpful.is_(False),
            feedback.comment.is_not(None),
        )
        .subquery()
    )
    rows = conn.execute(
        select(ranked.c.article_id, ranked.c.comment)
        .where(ranked.c.n <= COMMENTS_PER_ARTICLE)
        .order_by(ranked.c.article_id, ranked.c.n)
    )
    found: dict[str, list[str]] = {}
    for article_id, comment in rows:
        found.setdefault(article_id, []).append(comment)
    return found
