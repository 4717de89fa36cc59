"""An agent's public reply with files, in the real django-helpdesk: its webhook names the
files without carrying them, the connector fetches them through the API's follow-up and
the links it gives, and the reply carries the agent's name from the hub's settings."""

from __future__ import annotations

import json
import secrets

from app.backend.channels.connector import ExternalReply, TicketDraft
from app.backend.channels.django_helpdesk import DjangoHelpdeskConnector
from tests.backend.helpdesk.helpdesk_peer import (
    SECRET,
    HelpdeskPeer,
    WebhookReceiver,
)

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def draft() -> TicketDraft:
    return TicketDraft(
        case_id=f"case-{secrets.token_hex(6)}",
        requester_email="alice@example.com",
        requester_name="Alice",
        subject="My bag did not arrive",
        description="Flight NW123.",
        category="baggage",
    )


def reply_with_files(peer: HelpdeskPeer, ticket_id: str, text: str) -> int:
    """The agent's public follow-up with two files, posted as the helpdesk's form does."""
    files = [
        ("attachments", ("receipt.txt", b"Receipt 4411", "text/plain")),
        ("attachments", ("tag.png", PNG, "image/png")),
    ]
    fields = {"ticket": ticket_id, "comment": text, "public": "true"}
    with peer.agent() as agent:
        answer = agent.post("/api/followups/", data=fields, files=files)
        answer.raise_for_status()
        followup_id: int = answer.json()["id"]
        return followup_id


def named_connector(peer: HelpdeskPeer) -> DjangoHelpdeskConnector:
    agents = {peer.user_id("agent"): "Ana Ruiz"}
    return DjangoHelpdeskConnector(peer.url, peer.token, SECRET, agents=agents)


async def test_a_reply_webhook_names_files_the_connector_then_fetches(
    helpdesk_peer: HelpdeskPeer, webhook_receiver: WebhookReceiver
) -> None:
    connector = named_connector(helpdesk_peer)
    try:
        ticket_id = await connector.create_ticket(draft())
        followup_id = reply_with_files(helpdesk_peer, ticket_id, "Your receipt and tag.")
        hook = next(
            d
            for d in webhook_receiver.about(ticket_id)
            if d.path == "/up" and json.loads(d.body)["followup_id"] == followup_id
        )
        (reply, _status) = connector.read_webhook(hook.headers, hook.body)
        assert isinstance(reply, ExternalReply)
        assert (reply.body, reply.author_name) == ("Your receipt and tag.", "Ana Ruiz")
        assert reply.files_to_fetch and reply.attachments == ()

        files = await connector.fetch_attachments(reply, max_bytes=1_000_000)
        assert [(f.filename, f.content_type, f.data) for f in files] == [
            ("receipt.txt", "text/plain", b"Receipt 4411"),
            ("tag.png", "image/png", PNG),
        ]
        # A file over the limit is read no further than one byte past it.
        small = await connector.fetch_attachments(reply, max_bytes=100)
        assert [len(f.data) for f in small] == [12, 101]

        # Reconciliation reads the same reply, by name and with files to fetch.
        (again,) = [c for c in await connector.changes(ticket_id) if isinstance(c, ExternalReply)]
        assert (again.comment_id, again.author_name) == (str(followup_id), "Ana Ruiz")
        assert again.files_to_fetch
    finally:
        await connector.aclose()


async def test_an_agent_the_settings_do_not_name_is_anonymous(
    helpdesk_peer: HelpdeskPeer, connector: DjangoHelpdeskConnector
) -> None:
    ticket_id = await connector.create_ticket(draft())
    with helpdesk_peer.agent() as agent:
        sent = {"ticket": int(ticket_id), "comment": "On its way.", "public": True}
        agent.post("/api/followups/", json=sent).raise_for_status()
    (reply,) = [c for c in await connector.changes(ticket_id) if isinstance(c, ExternalReply)]
    assert (reply.body, reply.author_name, reply.files_to_fetch) == ("On its way.", None, False)
