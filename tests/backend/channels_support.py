"""A helpdesk held in memory, for the channel outbox's faults: it can be made unreachable
for a call, or do what it was asked and lose its answer. (The real connectors have their
own tests: django-helpdesk runs for real, Zendesk against its documented examples.)"""

from __future__ import annotations

import hmac
import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from fastapi import FastAPI

from app.backend.channels.connector import (
    Attachment,
    CommentDraft,
    ConnectorUnavailable,
    ExternalChange,
    ExternalReply,
    ExternalStatus,
    ForgedWebhook,
    TicketDraft,
    TicketStatus,
)
from app.backend.channels.delivery import ChannelOutbox

SECRET = "fake-webhook-secret"


@dataclass
class Ticket:
    id: str
    draft: TicketDraft
    status: TicketStatus = TicketStatus.open
    comments: list[CommentDraft] = field(default_factory=list)
    agent_replies: list[ExternalReply] = field(default_factory=list)


class FakeHelpdesk:
    name = "fake"

    def __init__(self) -> None:
        self.tickets: dict[str, Ticket] = {}
        self.calls: list[str] = []
        # Per method name: what its next calls do instead of answering. "down": raise
        # before acting; "lost": act, then raise (the answer never came back).
        self.faults: dict[str, list[str]] = {}
        self._ids = itertools.count(101)

    def _fault(self, method: str, when: str) -> None:
        queue = self.faults.get(method) or []
        if queue and queue[0] == when:
            queue.pop(0)
            raise ConnectorUnavailable(f"{method}: {when}", retry_after=30)

    def _call(self, method: str) -> None:
        self.calls.append(method)
        self._fault(method, "down")

    async def find_ticket(self, case_id: str) -> str | None:
        self._call("find_ticket")
        return next((t.id for t in self.tickets.values() if t.draft.case_id == case_id), None)

    async def create_ticket(self, draft: TicketDraft) -> str:
        self._call("create_ticket")
        ticket = Ticket(str(next(self._ids)), draft)
        self.tickets[ticket.id] = ticket
        self._fault("create_ticket", "lost")
        return ticket.id

    async def has_comment(self, ticket_id: str, message_id: str) -> bool:
        self._call("has_comment")
        return any(c.message_id == message_id for c in self.tickets[ticket_id].comments)

    async def add_comment(self, ticket_id: str, draft: CommentDraft) -> str:
        self._call("add_comment")
        ticket = self.tickets[ticket_id]
        ticket.comments.append(draft)
        ticket.status = TicketStatus.open
        self._fault("add_comment", "lost")
        return f"c{len(ticket.comments)}"

    async def set_status(self, ticket_id: str, status: TicketStatus) -> None:
        self._call("set_status")
        self.tickets[ticket_id].status = status

    async def changes(self, ticket_id: str) -> list[ExternalChange]:
        self._call("changes")
        ticket = self.tickets[ticket_id]
        return [*ticket.agent_replies, ExternalStatus(ticket_id, ticket.status)]

    def reply(self, ticket_id: str, body: str, comment_id: str) -> ExternalReply:
        """An agent answers in the helpdesk."""
        found = ExternalReply(ticket_id, comment_id, body, "Dana", datetime.now(UTC))
        self.tickets[ticket_id].agent_replies.append(found)
        return found

    def read_webhook(self, headers: Mapping[str, str], body: bytes) -> list[ExternalChange]:
        if not hmac.compare_digest(headers.get("x-fake-secret", ""), SECRET):
            raise ForgedWebhook("wrong shared secret")
        payload = json.loads(body)
        if payload["kind"] == "status":
            return [ExternalStatus(payload["ticket"], TicketStatus(payload["status"]))]
        return [
            ExternalReply(
                payload["ticket"], payload["comment"], payload["body"], "Dana", datetime.now(UTC)
            )
        ]

    async def fetch_attachments(
        self, reply: ExternalReply, max_bytes: int
    ) -> tuple[Attachment, ...]:
        return reply.attachments  # its replies carry their files

    async def aclose(self) -> None:
        return None


def outbox_of(api: FastAPI) -> ChannelOutbox:
    found = api.state.hub.channel_outbox
    assert isinstance(found, ChannelOutbox)
    return found


async def drain(outbox: ChannelOutbox, rounds: int = 20) -> int:
    """Deliver until nothing is due; how many items went out."""
    total = 0
    for _ in range(rounds):
        done = await outbox.deliver_due()
        if not done:
            return total
        total += done
    return total
