"""Early warning from public posts: the posts (kept briefly, never linked to a customer),
the keys watched in them with their aliases, and the warnings bursts open."""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, Integer, String, Table

from app.backend.db.tables.common import (
    created_and_updated,
    id_column,
    json_column,
    metadata,
    time_column,
)

# A public post as a warning needs it: no author, trimmed text. `id` is unique within
# its `source`; a post imported again is ignored. Pruned `keep_social_posts_days` after
# the hub received it.
social_posts = Table(
    "social_posts",
    metadata,
    Column("source", String(40), primary_key=True),
    Column("id", String(200), primary_key=True),
    time_column("created_at"),
    Column("text", String(500), nullable=False),
    Column("lang", String(35)),
    Column("url", String(500)),
    time_column("received_at"),
    Index("ix_social_posts_created_at", "created_at"),
    Index("ix_social_posts_received_at", "received_at"),
)

# A watched key (a component id, or a subscription key such as ORD or NW 412) and the
# other names posts use for it, as a JSON list.
social_keys = Table(
    "social_keys",
    metadata,
    Column("key", String(100), primary_key=True),
    json_column("aliases", "[]"),
    time_column("created_at"),
)

# One warning per burst of a key: opened at the burst's first anomalous bin, so a burst
# detected again (a replayed archive) finds its warning there already. `series` says
# which of the key's series burst: "total" (every post naming it) or "disruption".
social_warnings = Table(
    "social_warnings",
    metadata,
    id_column(),
    Column("key", String(100), nullable=False),
    time_column("started_at"),
    time_column("detected_at"),
    Column("count", Integer, nullable=False),
    Column("baseline", Float, nullable=False),
    Column("p_value", Float, nullable=False),
    Column("series", String(16), nullable=False, server_default="total"),
    json_column("samples", "[]"),
    Column("state", String(16), nullable=False),
    Column("incident_id", String(40)),
    *created_and_updated(),
    Index("ux_social_warnings_key_started", "key", "started_at", unique=True),
    Index("ix_social_warnings_detected_at", "detected_at"),
)

__all__ = ["social_keys", "social_posts", "social_warnings"]
