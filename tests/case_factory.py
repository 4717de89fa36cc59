"""Case `case_1` as the hub sends it to a device, with messages `m<n>` written n minutes
after NOW: the store and live-stream tests build whole and partial threads from these."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from app.schemas import Case

CASE_ID = "case_1"
NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def message(n: int, author: str = "agent", client_ref: str | None = None) -> dict[str, Any]:
    return {
        "id": f"m{n}",
        "case_id": CASE_ID,
        "author": author,
        "body": f"message {n}",
        "client_ref": client_ref,
        "created_at": NOW + timedelta(minutes=n),
    }


def case(messages: list[dict[str, Any]], *, complete: bool, **header: Any) -> Case:
    """The case holding `messages`; `complete` false when they are only those a change
    added. `header` overrides its other fields."""
    return Case.model_validate(
        {
            "id": CASE_ID,
            "number": 100001,
            "subject": "Lost bag",
            "description": "Blue",
            "category": "baggage",
            "status": "pending",
            "created_at": NOW,
            "updated_at": NOW,
            "messages": messages,
            "messages_complete": complete,
            **header,
        }
    )


def case_data(message_ids: list[int], *, complete: bool) -> dict[str, Any]:
    """The case with agent messages `m<n>` for these n, as JSON data of a change or event."""
    return case([message(n) for n in message_ids], complete=complete).model_dump(mode="json")
