"""Hub storage: one SQLAlchemy Core code path for SQLite and PostgreSQL."""

from app.backend.db.engine import Database, lock_counters, next_counter
from app.backend.db.migrations import LATEST_VERSION, migrate, schema_version

__all__ = [
    "LATEST_VERSION",
    "Database",
    "lock_counters",
    "migrate",
    "next_counter",
    "schema_version",
]
