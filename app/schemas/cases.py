"""Support cases and their message threads."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from app.schemas.booking import BookingRef
from app.schemas.common import UtcTime, WireModel


class CaseStatus(StrEnum):
    new = "new"
    open = "open"
    pending = "pending"
    solved = "solved"
    closed = "closed"


def takes_replies(status: CaseStatus | str) -> bool:
    """A closed case takes no more messages: a follow-up is a new case."""
    return CaseStatus(status) is not CaseStatus.closed


def status_after_customer_reply(status: CaseStatus | str) -> CaseStatus:
    """The customer's word reopens a case that was waiting on them or solved; a new one
    stays new (nobody has picked it up yet). The hub applies it, and the app shows it
    before the hub has answered."""
    return CaseStatus.new if CaseStatus(status) is CaseStatus.new else CaseStatus.open


class Channel(StrEnum):
    """Where a case was opened, or a message written: the app, an email to the support
    address, or the company's helpdesk (an agent's reply there)."""

    app = "app"
    email = "email"
    helpdesk = "helpdesk"


class MessageAuthor(StrEnum):
    customer = "customer"
    agent = "agent"


class Attachment(WireModel):
    id: str
    filename: str
    content_type: str
    size: int


# The name older hubs gave a reply no agent signed; a hub now leaves `author_name` empty.
OLD_TEAM_NAME = "Support"


def agent_name(author_name: str | None) -> str | None:
    """The name of the agent who signed a reply; None when it is the support team's (no
    name, or the team name an older hub wrote in English), which the app words itself."""
    if author_name is None or not author_name.strip() or author_name.strip() == OLD_TEAM_NAME:
        return None
    return author_name


class CaseMessage(WireModel):
    id: str
    case_id: str
    author: MessageAuthor
    author_name: str | None = None
    body: str
    attachments: list[Attachment] = Field(default_factory=list)
    client_ref: str | None = None
    channel: Channel = Field(Channel.app, description="Where the message was written.")
    created_at: UtcTime


class Case(WireModel):
    id: str
    number: int = Field(description="Human-friendly case number.")
    subject: str
    description: str
    category: str
    status: CaseStatus
    channel: Channel = Field(Channel.app, description="Where the case was opened.")
    incident_id: str | None = None
    booking_ref: BookingRef | None = None
    client_ref: str | None = Field(None, description="The id the client gave the case offline.")
    attachments: list[Attachment] = Field(default_factory=list)
    messages: list[CaseMessage] = Field(default_factory=list, description="Oldest first.")
    email_replies: bool = Field(
        False, description="Agents' replies are mailed to the customer too (an emailed case)."
    )
    messages_complete: bool = Field(
        True,
        description="False when `messages` holds only the messages this change added (a live "
        "event, a push result); a client keeps the ones it has. `/v1/sync/pull` and "
        "`GET /v1/cases` always send the whole thread.",
    )
    created_at: UtcTime
    updated_at: UtcTime
