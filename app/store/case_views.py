"""What the Cases screens show: a case with its thread, sent and queued replies together."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.schemas import MessageAuthor, Rejection


@dataclass(frozen=True)
class MessageView:
    id: str
    author: MessageAuthor
    author_name: str | None
    body: str
    created_at: str
    state: str  # sent | queued | failed
    error: Rejection | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class CaseView:
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
    messages: list[MessageView]
    unread: int
    updated_at: str
    attachments: list[dict[str, Any]] = field(default_factory=list)
