"""Small helpers the hub uses everywhere: clock, ids, digests, JSON text columns, upserts."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

from app.schemas.common import format_time, parse_time

__all__ = [
    "digest",
    "dumps",
    "format_time",
    "loads",
    "new_id",
    "now",
    "now_text",
    "parse_time",
    "upsert",
]


def now() -> datetime:
    return datetime.now(UTC)


def now_text() -> str:
    return format_time(now())


def new_id(prefix: str) -> str:
    """A random id that says what it names, e.g. `case_3f9a...`."""
    return f"{prefix}_{secrets.token_hex(8)}"


def digest(text: str) -> str:
    """What the hub keeps of a secret (a token, a code, a device's secret) or of a value
    it looks up without keeping it readable: SHA-256, hex."""
    return hashlib.sha256(text.encode()).hexdigest()


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def loads(text: str | None) -> Any:
    return json.loads(text) if text else None


def upsert(conn: Connection, table: Table, values: dict[str, Any], *, key: list[str]) -> None:
    """Insert `values`, or update the row with the same `key` columns."""
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    statement = dialect.insert(table).values(**values)
    changes = {name: statement.excluded[name] for name in values if name not in key}
    conn.execute(statement.on_conflict_do_update(index_elements=key, set_=changes))
