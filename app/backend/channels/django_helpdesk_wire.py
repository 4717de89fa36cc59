"""What django-helpdesk's tickets look like to Careline: its status ids, Careline's marker
lines, and the public agent replies in a ticket (from the API or a webhook's payload)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from app.backend.channels.connector import (
    ExternalChange,
    ExternalReply,
    ExternalStatus,
    TicketStatus,
)

# The ticket's custom field holding Careline's case id, as the API names it.
CASE_FIELD = "custom_careline_case"
# django-helpdesk's default statuses: Open 1, Reopened 2, Resolved 3, Closed 4, Duplicate 5.
SOLVED_STATUSES = frozenset({3, 4, 5})
MARKER = re.compile(r"\[careline (?:case|message|status) [^\]\s]+\]")


def marker(kind: str, value: str) -> str:
    return f"[careline {kind} {value}]"


def marked(text: str, kind: str, value: str) -> str:
    """`text` with Careline's marker as its last line."""
    body = text.rstrip()
    return f"{body}\n\n{marker(kind, value)}" if body else marker(kind, value)


def is_careline_text(text: str) -> bool:
    return MARKER.search(text) is not None


def solved_status(status: object) -> bool:
    return status in SOLVED_STATUSES


def ticket_status(status: object) -> TicketStatus:
    return TicketStatus.solved if solved_status(status) else TicketStatus.open


def ticket_changes(
    ticket: dict[str, Any], agents: Mapping[int, str] | None = None
) -> list[ExternalChange]:
    """The ticket's public agent replies, oldest first, then its status. Internal notes
    (`public` false), Careline's own writing (marked) and status-only follow-ups (no
    text, no file) are left out; so is the opening follow-up, which holds the marked description.
    The API names a follow-up's author by user id only: `agents` maps ids to the names
    the customer sees. A reply's files are named, not carried: `files_to_fetch`."""
    ticket_id = str(ticket["id"])
    changes: list[ExternalChange] = []
    for followup in sorted(ticket.get("followup_set") or [], key=lambda f: int(f["id"])):
        comment = (followup.get("comment") or "").strip()
        files = bool(followup.get("followupattachment_set"))
        if followup.get("public") is not True or is_careline_text(comment):
            continue
        if not comment and not files:
            continue
        changes.append(
            ExternalReply(
                ticket_id=ticket_id,
                comment_id=str(followup["id"]),
                body=comment,
                author_name=(agents or {}).get(followup.get("user") or 0),
                created_at=datetime.fromisoformat(followup["date"]),
                files_to_fetch=files,
            )
        )
    changes.append(ExternalStatus(ticket_id=ticket_id, status=ticket_status(ticket["status"])))
    return changes
