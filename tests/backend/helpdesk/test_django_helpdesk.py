"""The django-helpdesk connector against a real django-helpdesk on loopback: tickets,
public comments, exactly once, status both ways, internal notes kept in."""

from __future__ import annotations

import secrets

import pytest

from app.backend.channels.connector import (
    Attachment,
    CommentDraft,
    ConnectorRefused,
    ExternalReply,
    ExternalStatus,
    TicketDraft,
    TicketStatus,
)
from app.backend.channels.django_helpdesk import DjangoHelpdeskConnector
from tests.backend.helpdesk.helpdesk_peer import HelpdeskPeer


def draft(category: str | None = "baggage", *files: Attachment) -> TicketDraft:
    return TicketDraft(
        case_id=f"case-{secrets.token_hex(6)}",
        requester_email="alice@example.com",
        requester_name="Alice",
        subject="My bag did not arrive",
        description="Flight NW123, a blue suitcase.",
        category=category,
        attachments=files,
    )


def comment(case_id: str, body: str = "It has a red ribbon.", *files: Attachment) -> CommentDraft:
    return CommentDraft(case_id, f"msg-{secrets.token_hex(6)}", body, "alice@example.com", files)


def agent_reply(peer: HelpdeskPeer, ticket_id: str, text: str, **extra: object) -> int:
    with peer.agent() as agent:
        answer = agent.post(
            "/api/followups/", json={"ticket": int(ticket_id), "comment": text, **extra}
        )
        answer.raise_for_status()
        followup_id: int = answer.json()["id"]
        return followup_id


def ticket(peer: HelpdeskPeer, ticket_id: str) -> dict[str, object]:
    with peer.agent() as agent:
        found: dict[str, object] = agent.get(f"/api/tickets/{ticket_id}/").json()
        return found


async def test_a_case_becomes_a_ticket_in_its_category_queue(
    connector: DjangoHelpdeskConnector, helpdesk_peer: HelpdeskPeer
) -> None:
    case = draft("refunds")
    made = ticket(helpdesk_peer, await connector.create_ticket(case))
    assert made["submitter_email"] == "alice@example.com"
    assert made["title"] == "My bag did not arrive"
    assert made["queue"] == helpdesk_peer.queues["refunds"]
    assert made["custom_careline_case"] == case.case_id
    assert "Flight NW123" in str(made["description"])
    other = ticket(helpdesk_peer, await connector.create_ticket(draft("pets")))
    assert other["queue"] == helpdesk_peer.queues["general"]  # unmapped: the default queue


async def test_a_ticket_whose_answer_was_lost_is_found_by_its_case_id(
    connector: DjangoHelpdeskConnector, helpdesk_peer: HelpdeskPeer
) -> None:
    case = draft()
    ticket_id = await connector.create_ticket(case)  # its answer "lost": look it up again
    await connector.create_ticket(draft())  # a newer ticket in front of it
    assert await connector.find_ticket(case.case_id) == ticket_id
    assert await connector.find_ticket("case-never-sent") is None
    paging = DjangoHelpdeskConnector(
        helpdesk_peer.url, helpdesk_peer.token, "s", page_size=1
    )  # one ticket a page: the search walks pages from the newest back
    try:
        assert await paging.find_ticket(case.case_id) == ticket_id
    finally:
        await paging.aclose()


async def test_a_customer_reply_is_a_public_comment_found_again_by_its_message_id(
    connector: DjangoHelpdeskConnector, helpdesk_peer: HelpdeskPeer
) -> None:
    case = draft()
    ticket_id = await connector.create_ticket(case)
    reply = comment(case.case_id)
    assert not await connector.has_comment(ticket_id, reply.message_id)
    comment_id = await connector.add_comment(ticket_id, reply)
    assert await connector.has_comment(ticket_id, reply.message_id)
    assert not await connector.has_comment(ticket_id, "msg-other")
    made = ticket(helpdesk_peer, ticket_id)
    followup = next(f for f in made["followup_set"] if str(f["id"]) == comment_id)  # type: ignore[attr-defined]
    assert followup["public"] is True
    assert "It has a red ribbon." in followup["comment"]
    assert made["title"] == case.subject  # no `title` sent: the ticket keeps its name
    # Careline's own comment never comes back as an agent's reply.
    assert [c for c in await connector.changes(ticket_id) if isinstance(c, ExternalReply)] == []


async def test_attachments_go_with_the_ticket_and_with_comments(
    connector: DjangoHelpdeskConnector, helpdesk_peer: HelpdeskPeer
) -> None:
    files = [Attachment(f"tag{n}.txt", "text/plain", b"bag tag %d" % n) for n in range(3)]
    case = draft("baggage", files[0], files[1])
    ticket_id = await connector.create_ticket(case)
    await connector.add_comment(ticket_id, comment(case.case_id, "one more", files[2]))
    names = [
        a["filename"]
        for f in ticket(helpdesk_peer, ticket_id)["followup_set"]  # type: ignore[attr-defined]
        for a in f["followupattachment_set"]
    ]
    assert sorted(names) == ["tag0.txt", "tag1.txt", "tag2.txt"]
    assert [c for c in await connector.changes(ticket_id) if isinstance(c, ExternalReply)] == []


async def test_agent_replies_come_back_and_internal_notes_never_do(
    connector: DjangoHelpdeskConnector, helpdesk_peer: HelpdeskPeer
) -> None:
    ticket_id = await connector.create_ticket(draft())
    first = agent_reply(helpdesk_peer, ticket_id, "We found it in Denver.", public=True)
    agent_reply(helpdesk_peer, ticket_id, "Internal: the customer is a VIP.", public=False)
    second = agent_reply(helpdesk_peer, ticket_id, "It arrives tomorrow.", public=True)
    changes = await connector.changes(ticket_id)
    replies = [c for c in changes if isinstance(c, ExternalReply)]
    assert [(r.comment_id, r.body) for r in replies] == [
        (str(first), "We found it in Denver."),
        (str(second), "It arrives tomorrow."),
    ]
    assert replies[0].created_at <= replies[1].created_at
    assert changes[-1] == ExternalStatus(ticket_id, TicketStatus.open)
    assert "VIP" not in repr(changes)


async def test_status_goes_both_ways(
    connector: DjangoHelpdeskConnector, helpdesk_peer: HelpdeskPeer
) -> None:
    case = draft()
    ticket_id = await connector.create_ticket(case)
    await connector.set_status(ticket_id, TicketStatus.solved)  # Careline solves the case
    assert ticket(helpdesk_peer, ticket_id)["status"] == 3  # Resolved
    assert await connector.find_ticket(case.case_id) == ticket_id  # found among all, too
    assert (await connector.changes(ticket_id))[-1].status is TicketStatus.solved  # type: ignore[union-attr]
    await connector.add_comment(ticket_id, comment(case.case_id, "Still not here."))
    assert ticket(helpdesk_peer, ticket_id)["status"] == 2  # a customer reply reopens it
    assert (await connector.changes(ticket_id))[-1].status is TicketStatus.open  # type: ignore[union-attr]
    agent_reply(helpdesk_peer, ticket_id, "Delivered.", public=True, new_status=4)  # Closed
    assert (await connector.changes(ticket_id))[-1].status is TicketStatus.solved  # type: ignore[union-attr]
    await connector.set_status(ticket_id, TicketStatus.open)
    assert ticket(helpdesk_peer, ticket_id)["status"] == 2  # Reopened
    await connector.set_status(ticket_id, TicketStatus.open)  # already open: nothing posted
    assert len(ticket(helpdesk_peer, ticket_id)["followup_set"]) == 5  # type: ignore[arg-type]
    replies = [c for c in await connector.changes(ticket_id) if isinstance(c, ExternalReply)]
    assert [r.body for r in replies] == ["Delivered."]


async def test_a_ticket_the_helpdesk_does_not_have_is_refused(
    connector: DjangoHelpdeskConnector,
) -> None:
    with pytest.raises(ConnectorRefused, match="404"):
        await connector.changes("999999")
    for odd in ("../users", "１２", "1?page=2"):
        with pytest.raises(ConnectorRefused, match="not a django-helpdesk ticket id"):
            await connector.has_comment(odd, "msg-1")
