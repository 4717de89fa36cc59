"""django-helpdesk's own webhooks, delivered by the real peer to a loopback receiver, read
by the connector; forged ones refused; a stopped helpdesk is unavailable, not refused."""

from __future__ import annotations

import base64
import json
import secrets
from pathlib import Path

import pytest

from app.backend.channels.connector import (
    CommentDraft,
    ConnectorRefused,
    ConnectorUnavailable,
    ExternalReply,
    ExternalStatus,
    ForgedWebhook,
    TicketDraft,
    TicketStatus,
)
from app.backend.channels.django_helpdesk import DjangoHelpdeskConnector
from tests.backend.helpdesk.helpdesk_peer import (
    SECRET,
    Delivery,
    FaultyHelpdesk,
    HelpdeskPeer,
    WebhookReceiver,
)


def draft() -> TicketDraft:
    return TicketDraft(
        case_id=f"case-{secrets.token_hex(6)}",
        requester_email="bob@example.com",
        requester_name=None,
        subject="Refund for a cancelled flight",
        description="NW88 was cancelled.",
        category="refunds",
    )


def basic(secret: str) -> str:
    return "Basic " + base64.b64encode(f"careline:{secret}".encode()).decode()


def by_path(deliveries: list[Delivery], path: str) -> list[Delivery]:
    return [d for d in deliveries if d.path == path]


async def test_the_helpdesk_webhooks_carry_the_secret_and_the_changes(
    connector: DjangoHelpdeskConnector,
    helpdesk_peer: HelpdeskPeer,
    webhook_receiver: WebhookReceiver,
) -> None:
    ticket_id = await connector.create_ticket(draft())
    # The new-ticket webhook went to both URLs of its comma-separated setting.
    created = webhook_receiver.about(ticket_id)
    assert [d.path for d in created] == ["/new", "/new2"]
    assert connector.read_webhook(created[0].headers, created[0].body) == [
        ExternalStatus(ticket_id, TicketStatus.open)
    ]
    with helpdesk_peer.agent() as agent:
        for text, public in (("Refund approved.", True), ("Internal: approve.", False)):
            sent = {"ticket": int(ticket_id), "comment": text, "public": public}
            agent.post("/api/followups/", json=sent).raise_for_status()
        closing = {"ticket": int(ticket_id), "comment": "", "public": True, "new_status": 3}
        agent.post("/api/followups/", json=closing).raise_for_status()
    updates = by_path(webhook_receiver.about(ticket_id), "/up")
    assert len(updates) == 3
    assert len(by_path(webhook_receiver.about(ticket_id), "/up2")) == 3  # " , " splits
    reply = connector.read_webhook(updates[0].headers, updates[0].body)
    assert [type(c) for c in reply] == [ExternalReply, ExternalStatus]
    assert isinstance(reply[0], ExternalReply)
    assert reply[0].body == "Refund approved."
    assert reply[0].comment_id == str(json.loads(updates[0].body)["followup_id"])
    note = connector.read_webhook(updates[1].headers, updates[1].body)
    assert note == [ExternalStatus(ticket_id, TicketStatus.open)]  # the note stays in
    assert "Internal" not in repr(note)
    solved = connector.read_webhook(updates[2].headers, updates[2].body)
    assert solved == [ExternalStatus(ticket_id, TicketStatus.solved)]


async def test_careline_own_comment_comes_back_by_webhook_as_status_only(
    connector: DjangoHelpdeskConnector, webhook_receiver: WebhookReceiver
) -> None:
    case = draft()
    ticket_id = await connector.create_ticket(case)
    message = CommentDraft(case.case_id, "msg-echo", "Any news?", "bob@example.com")
    await connector.add_comment(ticket_id, message)
    echo = by_path(webhook_receiver.about(ticket_id), "/up")[-1]
    assert connector.read_webhook(echo.headers, echo.body) == [
        ExternalStatus(ticket_id, TicketStatus.open)
    ]


async def test_a_forged_webhook_is_refused(
    connector: DjangoHelpdeskConnector, webhook_receiver: WebhookReceiver
) -> None:
    ticket_id = await connector.create_ticket(draft())
    real = webhook_receiver.about(ticket_id)[0]
    assert real.headers["Authorization"] == basic(SECRET)
    for headers in (
        {},
        {"Authorization": basic("wrong-secret")},
        {"Authorization": basic(SECRET[:-1])},
        {"Authorization": "Bearer " + SECRET},
        {"Authorization": "Basic !!!not-base64"},
    ):
        with pytest.raises(ForgedWebhook):
            connector.read_webhook(headers, real.body)
    # Any spelling of the header name counts (HTTP header names are case-insensitive).
    assert connector.read_webhook({"authorization": basic(SECRET)}, real.body)
    for body in (b"not json", b"{}", b'{"ticket": {"id": 1}}'):
        with pytest.raises(ConnectorRefused, match="malformed"):
            connector.read_webhook({"Authorization": basic(SECRET)}, body)


async def test_answers_lost_to_a_fault_never_double_a_ticket_or_comment(
    tmp_path: Path, helpdesk_peer: HelpdeskPeer
) -> None:
    """A peer whose webhooks go to a hub that is away: django-helpdesk saves the ticket,
    then fails on the webhook and answers 500. The retry finds what was saved."""
    peer = HelpdeskPeer(tmp_path / "peer", None)
    peer.start()
    connector = DjangoHelpdeskConnector(peer.url, peer.token, SECRET)
    try:
        case = draft()
        with pytest.raises(ConnectorUnavailable, match="500"):
            await connector.create_ticket(case)
        ticket_id = await connector.find_ticket(case.case_id)
        assert ticket_id is not None
        message = CommentDraft(case.case_id, "msg-lost", "Any news?", "bob@example.com")
        with pytest.raises(ConnectorUnavailable, match="500"):
            await connector.add_comment(ticket_id, message)
        assert await connector.has_comment(ticket_id, "msg-lost")
        peer.stop()  # the helpdesk itself away: unavailable too, never refused
        with pytest.raises(ConnectorUnavailable, match="unreachable"):
            await connector.find_ticket(case.case_id)
        with pytest.raises(ConnectorUnavailable, match="unreachable"):
            await connector.changes(ticket_id)
    finally:
        peer.stop()
        await connector.aclose()


async def test_a_wrong_token_is_refused(helpdesk_peer: HelpdeskPeer) -> None:
    wrong = DjangoHelpdeskConnector(helpdesk_peer.url, "not-a-token", SECRET)
    try:
        with pytest.raises(ConnectorRefused, match="401"):
            await wrong.find_ticket("case-x")
    finally:
        await wrong.aclose()


async def test_overload_and_rate_limits_are_unavailable_with_the_helpdesk_hint() -> None:
    fault = FaultyHelpdesk()  # a fake: the real peer neither rate-limits nor overloads
    connector = DjangoHelpdeskConnector(fault.url, "token", SECRET)
    try:
        with pytest.raises(ConnectorUnavailable, match="503") as raised:
            await connector.find_ticket("case-x")
        assert raised.value.retry_after == 7
        fault.status, fault.headers = 429, {"Retry-After": "soon"}
        with pytest.raises(ConnectorUnavailable, match="429") as raised:
            await connector.changes("1")
        assert raised.value.retry_after is None  # a hint it cannot read is no hint
        fault.status, fault.headers, fault.body = 200, {}, b"<html>a login page</html>"
        with pytest.raises(ConnectorUnavailable, match="no JSON"):
            await connector.changes("1")
        fault.status = 400
        with pytest.raises(ConnectorRefused, match="400"):
            await connector.create_ticket(draft())
    finally:
        await connector.aclose()
        fault.stop()


def test_a_connector_needs_a_webhook_secret() -> None:
    with pytest.raises(ValueError, match="secret"):
        DjangoHelpdeskConnector("http://127.0.0.1:1", "token", "")
