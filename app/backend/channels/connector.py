"""The one interface every helpdesk connector offers the hub (django-helpdesk, Zendesk).

The hub's channel outbox drives it: a case opened in Careline becomes a ticket, each
customer message a public comment, and a status change the ticket's status. What the
helpdesk's agents do comes back as `ExternalChange`s, from a signed webhook or from the
reconciliation pass that reads a ticket's history after a webhook was lost. Internal notes
never come back: a connector returns public replies only.

Exactly once: Careline's case id and message id are the idempotency markers. A connector
stores them in the helpdesk (an external id, a custom field, a marker in the comment) and
`find_ticket` / `has_comment` find them again, so an outbox retry after a lost answer never
creates a second ticket or comment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class TicketStatus(StrEnum):
    """The statuses Careline and a helpdesk agree on; a connector maps its own to these."""

    open = "open"  # new, open, reopened, pending on the customer: still to be answered
    solved = "solved"  # solved or closed in the helpdesk: the case is solved


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class TicketDraft:
    """A case as its ticket is created. `case_id` is the idempotency marker."""

    case_id: str
    requester_email: str
    requester_name: str | None
    subject: str
    description: str
    category: str | None  # the case's category id; the connector maps it to a queue/group
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class CommentDraft:
    """A customer's message on a case, sent as a public comment. `message_id` is the
    idempotency marker."""

    case_id: str
    message_id: str
    body: str
    author_email: str
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class ExternalReply:
    """An agent's public reply in the helpdesk. `comment_id` is the helpdesk's own id of
    the comment: the hub records it so the same reply is never added twice."""

    ticket_id: str
    comment_id: str
    body: str
    author_name: str | None
    created_at: datetime
    attachments: tuple[Attachment, ...] = field(default=())
    # The helpdesk holds files for this reply that it did not send along (a webhook's
    # payload names them only): the hub asks `fetch_attachments` for them.
    files_to_fetch: bool = False


@dataclass(frozen=True)
class ExternalStatus:
    """The ticket's status as the helpdesk has it now."""

    ticket_id: str
    status: TicketStatus


ExternalChange = ExternalReply | ExternalStatus


class ForgedWebhook(Exception):
    """A webhook whose signature or shared secret does not check out: refused (401)."""


class ConnectorUnavailable(Exception):
    """The helpdesk could not be reached or answered 5xx/429: the outbox retries later.
    `retry_after` is the helpdesk's own hint in seconds, when it gave one."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ConnectorRefused(Exception):
    """The helpdesk refused the request for good (4xx other than 429): the outbox item
    fails and waits for an operator's replay."""


class Connector(Protocol):
    """One helpdesk product. Every method may raise `ConnectorUnavailable` or
    `ConnectorRefused`."""

    name: str  # "django-helpdesk", "zendesk": also the name in settings, CLI and outbox

    async def find_ticket(self, case_id: str) -> str | None:
        """The ticket made for `case_id` earlier, by its idempotency marker."""
        ...

    async def create_ticket(self, draft: TicketDraft) -> str:
        """Create the ticket and return its id (as text)."""
        ...

    async def has_comment(self, ticket_id: str, message_id: str) -> bool:
        """Whether the comment for Careline's `message_id` is already on the ticket."""
        ...

    async def add_comment(self, ticket_id: str, draft: CommentDraft) -> str:
        """Add a public comment (a customer reply reopens a solved ticket); its id."""
        ...

    async def set_status(self, ticket_id: str, status: TicketStatus) -> None: ...

    async def changes(self, ticket_id: str) -> list[ExternalChange]:
        """Reconciliation: every public agent reply on the ticket, oldest first, and its
        current status last. The hub skips what it has already recorded."""
        ...

    def read_webhook(self, headers: Mapping[str, str], body: bytes) -> list[ExternalChange]:
        """The changes a webhook reports, after checking its signature or shared secret
        (`ForgedWebhook` if it does not check out)."""
        ...

    async def fetch_attachments(
        self, reply: ExternalReply, max_bytes: int
    ) -> tuple[Attachment, ...]:
        """The files of a reply marked `files_to_fetch`. A file over `max_bytes` comes
        back cut at `max_bytes + 1` bytes, so the hub's size rule refuses it unread."""
        ...

    async def aclose(self) -> None: ...
