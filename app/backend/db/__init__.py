"""Hub storage: one SQLAlchemy Core code path for SQLite and PostgreSQL."""

from app.backend.db.engine import Database, next_counter
from app.backend.db.migrations import LATEST_VERSION, migrate, schema_version

__all__ = ["LATEST_VERSION", "Database", "migrate", "next_counter", "schema_version"]
