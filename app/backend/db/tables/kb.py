"""The knowledge base: categories, articles (one row per locale) and votes on them."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, String, Table, Text, UniqueConstraint

from app.backend.db.tables.common import (
    id_column,
    json_column,
    metadata,
    time_column,
    version_column,
)

categories = Table(
    "categories",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("locale", String(16), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("icon", String(64)),
    Column("position", Integer, nullable=False, default=0),
    version_column(),
)

articles = Table(
    "articles",
    metadata,
    id_column(220),
    Column("slug", String(200), nullable=False),
    Column("locale", String(16), nullable=False),
    Column("title", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("category", String(100), nullable=False),
    json_column("tags", "[]"),
    Column("published", Boolean, nullable=False, default=True),
    version_column(),
    time_column("updated_at"),
    UniqueConstraint("slug", "locale"),
)

article_feedback = Table(
    "article_feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(220), nullable=False, index=True),
    Column("customer_id", String(40)),
    # Hash of an anonymous voter's key (or address): one vote per voter and article.
    Column("voter_hash", String(64)),
    Column("helpful", Boolean, nullable=False),
    Column("comment", Text),
    time_column("created_at"),
    Index("ux_article_feedback_voter", "article_id", "voter_hash", unique=True),
)
