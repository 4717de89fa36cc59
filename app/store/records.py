"""The records the store hands out for the screens to show: a case with its thread (sent
and queued replies together), a callback, a search hit. Frozen data only: they give no
access to the store, so views may name them (see the import contracts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.schemas import CallbackMode, MessageAuthor, Rejection
from app.schemas.callbacks import ACTIVE_STATUSES


@dataclass(frozen=True)
class MessageRecord:
    id: str
    author: MessageAuthor
    author_name: str | None
    body: str
    created_at: str
    state: str  # sent | queued | failed
    error: Rejection | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)
    channel: str = "app"  # where it was written: app, email, helpdesk


@dataclass(frozen=True)
class CaseRecord:
    local_id: str
    server_id: str | None
    number: int | None
    subject: str
    description: str
    category: str
    status: str
    incident_id: str | None
    sync_state: str  # pending | synced | rejected
    error: Rejection | None
    messages: list[MessageRecord]
    unread: int
    updated_at: str
    attachments: list[dict[str, Any]] = field(default_factory=list)
    email_replies: bool = False  # agents' replies are mailed to the customer too
    channel: str = "app"  # where the case was opened: its description is marked so


@dataclass(frozen=True)
class CallbackRecord:
    local_id: str
    server_id: str | None
    queue_id: str
    mode: CallbackMode
    status: str
    phone: str
    slot_start: str | None
    note: str | None
    sync_state: str  # pending | synced | rejected
    error: Rejection | None
    booking_ref: str | None = None
    language: str | None = None

    @property
    def active(self) -> bool:
        """Still to come: it can be cancelled or moved."""
        return self.status in ACTIVE_STATUSES


@dataclass(frozen=True)
class SearchHit:
    article_id: str
    slug: str
    locale: str
    title: str
    category: str
    snippet: list[tuple[str, bool]]  # (text, highlighted)
    score: float
