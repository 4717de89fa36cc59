"""What every repository shares: the store, JSON columns, times and new local ids."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from app.schemas import Rejection
from app.schemas.common import format_time

if TYPE_CHECKING:
    from app.store.local import LocalStore


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | None) -> Any:
    return json.loads(text) if text else None


def rejection_from(text: str | None) -> Rejection | None:
    """A refusal stored as JSON text (NULL when there is none)."""
    return Rejection.model_validate_json(text) if text else None


def now_text() -> str:
    return format_time(datetime.now(UTC))


def new_local_id() -> str:
    """A client-made id that the hub keeps as `client_ref`."""
    return str(uuid.uuid4())


class Repo:
    def __init__(self, store: LocalStore) -> None:
        self.store = store
