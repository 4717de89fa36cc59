"""What the operators learn from customers without knowing who they are: searches in the
help centre that found nothing, counted on devices and sent only as sums."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, String, Table

from app.backend.db.tables.common import metadata, time_column

# One row per normalised query and locale (see app.schemas.search_gaps): no customer, no
# device, no address, only how often and when last.
search_gaps = Table(
    "search_gaps",
    metadata,
    Column("query", String(100), primary_key=True),
    Column("locale", String(35), primary_key=True),
    Column("count", BigInteger, nullable=False),
    time_column("last_seen"),
    Index("ix_search_gaps_count", "count"),
)

# The keys of the batches of counts already summed (a hash of each device's random key
# per batch): a batch sent again after its answer was lost is not counted twice.
search_gap_batches = Table(
    "search_gap_batches",
    metadata,
    Column("key_hash", String(64), primary_key=True),
    time_column("created_at"),
    Index("ix_search_gap_batches_created_at", "created_at"),
)
