"""The Zendesk connector against a fake Zendesk built from its documented requests and
answers (tests/backend/zendesk_support.py: Zendesk cannot run here), and the hub's outbox
driving it through a lost answer."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from fastapi import FastAPI

from app.backend.channels.connector import (
    Attachment,
    CommentDraft,
    ConnectorRefused,
    ConnectorUnavailable,
    ExternalReply,
    ExternalStatus,
    ForgedWebhook,
    TicketDraft,
    TicketStatus,
)
from app.backend.channels.zendesk import ZendeskConnector, sign
from app.backend.main import create_app
from app.backend.settings import HubSettings
from tests.backend.channels_support import drain, outbox_of
from tests.backend.zendesk_support import BASE, EMAIL, TOKEN, FakeZendesk
from tests.support import mutation, push, sign_in

SECRET = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=="
PNG = Attachment("pass.png", "image/png", b"\x89PNG\r\n")
DRAFT = TicketDraft("case_1", "alice@example.com", "Alice", "Lost bag", "Blue", "baggage", (PNG,))


@pytest.fixture
def zendesk() -> FakeZendesk:
    return FakeZendesk()


@pytest.fixture
async def connector(zendesk: FakeZendesk) -> AsyncIterator[ZendeskConnector]:
    found = ZendeskConnector(
        BASE, email=EMAIL, api_token=TOKEN, webhook_secret=SECRET, transport=zendesk.transport()
    )
    yield found
    await found.aclose()


async def test_a_ticket_is_made_once_by_external_id_with_requester_and_uploads(
    connector: ZendeskConnector, zendesk: FakeZendesk
) -> None:
    assert await connector.find_ticket("case_1") is None
    ticket_id = await connector.create_ticket(DRAFT)
    assert await connector.find_ticket("case_1") == ticket_id
    ticket = zendesk.tickets[int(ticket_id)]
    assert ticket["tags"] == ["careline", "baggage"]
    requester = zendesk.users[ticket["requester_id"]]
    assert (requester["email"], requester["name"]) == ("alice@example.com", "Alice")
    (first,) = zendesk.comments[int(ticket_id)]
    assert first["attachments"][0]["file_name"] == "pass.png"


async def test_a_customer_comment_is_the_requesters_marked_and_reopens(
    connector: ZendeskConnector, zendesk: FakeZendesk
) -> None:
    ticket_id = await connector.create_ticket(DRAFT)
    zendesk.tickets[int(ticket_id)]["status"] = "solved"
    draft = CommentDraft("case_1", "msg_7", "Still lost", "alice@example.com")
    assert not await connector.has_comment(ticket_id, "msg_7")
    comment_id = await connector.add_comment(ticket_id, draft)
    for n in range(3):  # audits run over pages: the marker is found on any
        await connector.add_comment(ticket_id, CommentDraft("case_1", f"m{n}", "x", "a@b.c"))
    assert await connector.has_comment(ticket_id, "msg_7")
    ticket = zendesk.tickets[int(ticket_id)]
    assert ticket["status"] == "open"
    added = next(c for c in zendesk.comments[int(ticket_id)] if str(c["id"]) == comment_id)
    assert added["author_id"] == ticket["requester_id"] and added["public"]


async def test_changes_bring_public_agent_replies_never_notes_or_the_customers(
    connector: ZendeskConnector, zendesk: FakeZendesk
) -> None:
    ticket_id = await connector.create_ticket(DRAFT)
    zendesk.agent_says(int(ticket_id), "Internal: VIP", public=False)
    await connector.add_comment(ticket_id, CommentDraft("case_1", "m1", "Hello?", "a@b.c"))
    said = zendesk.agent_says(int(ticket_id), "Found your bag")
    zendesk.tickets[int(ticket_id)]["status"] = "closed"
    found = await connector.changes(ticket_id)
    assert found[:-1] == [
        ExternalReply(ticket_id, str(said), "Found your bag", "Dana Agent", found[0].created_at)  # type: ignore[union-attr]
    ]
    assert found[-1] == ExternalStatus(ticket_id, TicketStatus.solved)
    await connector.set_status(ticket_id, TicketStatus.solved)  # already: no update sent
    assert zendesk.requests[-1].startswith("GET")


async def test_an_agents_files_come_back_with_the_reply(
    connector: ZendeskConnector, zendesk: FakeZendesk
) -> None:
    ticket_id = await connector.create_ticket(DRAFT)
    zendesk.uploads["agent1"] = ("receipt.png", b"receipt bytes")
    zendesk.comment(int(ticket_id), {"body": "Receipt attached", "uploads": ["agent1"]}, {})
    reply, _status = await connector.changes(ticket_id)
    assert isinstance(reply, ExternalReply)
    assert reply.attachments == (Attachment("receipt.png", "image/png", b"receipt bytes"),)


@pytest.mark.parametrize(
    ("status", "headers", "error", "retry_after"),
    [
        (429, {"Retry-After": "93"}, ConnectorUnavailable, 93.0),
        (503, {"Retry-After": "7"}, ConnectorUnavailable, 7.0),
        (500, {}, ConnectorUnavailable, None),
        (422, {}, ConnectorRefused, None),
    ],
)
async def test_zendesk_answers_become_retries_or_refusals(
    connector: ZendeskConnector,
    zendesk: FakeZendesk,
    status: int,
    headers: dict[str, str],
    error: type[Exception],
    retry_after: float | None,
) -> None:
    zendesk.faults.append(("POST /api/v2/tickets.json", status, headers))
    with pytest.raises(error) as raised:
        await connector.create_ticket(DRAFT)
    assert getattr(raised.value, "retry_after", None) == retry_after


def _signed(body: bytes, stamp: str = "2026-12-07T10:00:00Z") -> dict[str, str]:
    return {
        "X-Zendesk-Webhook-Signature": sign(SECRET.encode(), stamp, body),
        "X-Zendesk-Webhook-Signature-Timestamp": stamp,
    }


def _event(kind: str, event: dict[str, object]) -> bytes:
    payload = {
        "type": f"zen:event-type:ticket.{kind}",
        "detail": {"id": "35436", "status": "OPEN"},
        "event": event,
        "time": "2026-12-07T10:00:00Z",
        "zendesk_event_version": "2022-11-06",
    }
    return json.dumps(payload).encode()


def test_webhooks_are_read_only_when_signed(connector: ZendeskConnector) -> None:
    author = {"id": "900", "name": "Dana", "is_staff": True}
    reply = _event(
        "comment_added", {"comment": {"id": "1", "body": "Hi", "is_public": True, "author": author}}
    )
    (change,) = connector.read_webhook(_signed(reply), reply)
    assert isinstance(change, ExternalReply) and (change.body, change.comment_id) == ("Hi", "1")
    note = _event(
        "comment_added",
        {"comment": {"id": "2", "body": "VIP", "is_public": False, "author": author}},
    )
    assert connector.read_webhook(_signed(note), note) == []
    files = {"id": "4", "body": "See", "is_public": True, "author": author, "attachments": [{}]}
    with_files = _event("comment_added", {"comment": files})
    assert connector.read_webhook(_signed(with_files), with_files) == []  # reconciled instead
    customer = {"id": "5", "name": "Alice", "is_staff": False}
    own = _event(
        "comment_added",
        {"comment": {"id": "3", "body": "?", "is_public": True, "author": customer}},
    )
    assert connector.read_webhook(_signed(own), own) == []
    solved = _event("status_changed", {"current": "SOLVED", "previous": "OPEN"})
    assert connector.read_webhook(_signed(solved), solved) == [
        ExternalStatus("35436", TicketStatus.solved)
    ]
    for headers, body in [
        ({}, reply),
        (_signed(reply), reply.replace(b"Hi", b"Pay")),  # tampered
        ({**_signed(reply), "X-Zendesk-Webhook-Signature": "AAAA"}, reply),
    ]:
        with pytest.raises(ForgedWebhook):
            connector.read_webhook(headers, body)


@pytest.fixture
def zendesk_app(settings: HubSettings, connector: ZendeskConnector) -> Iterator[FastAPI]:
    api = create_app(settings, connector=connector)
    yield api
    api.state.hub.db.dispose()


async def test_the_outbox_through_zendesk_survives_lost_answers(
    zendesk_app: FastAPI, zendesk: FakeZendesk
) -> None:
    transport = httpx.ASGITransport(app=zendesk_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
        alice = await sign_in(client, zendesk_app.state.hub.db, "alice@example.com")
        (opened,) = await push(
            client, alice, mutation("case.open", subject="Bag", description="Blue")
        )
        case_id = opened["entity"]["id"]
        await push(client, alice, mutation("case.reply", seq=2, case=case_id, body="Red tag"))
        zendesk.faults += [
            ("POST /api/v2/tickets.json", "lost", {}),
            (r"PUT /api/v2/tickets/\d+\.json", "lost", {}),
        ]
        sent = outbox_of(zendesk_app)
        for _ in range(4):  # lost, found; lost, found
            await sent.deliver_due()
            with zendesk_app.state.hub.db.write() as conn:
                conn.exec_driver_sql(
                    "UPDATE channel_outbox SET next_attempt_at = '2000-01-01T00:00:00.000000Z'"
                )
        assert await drain(sent) == 0
        (ticket,) = zendesk.tickets.values()
        assert ticket["external_id"] == case_id
        assert [c["body"] for c in zendesk.comments[ticket["id"]]] == ["Blue", "Red tag"]
        said = zendesk.agent_says(ticket["id"], "We found it")
        body = _event(
            "comment_added",
            {
                "comment": {
                    "id": str(said),
                    "body": "We found it",
                    "is_public": True,
                    "author": {"id": "900", "name": "Dana", "is_staff": True},
                }
            },
        )
        body = body.replace(b'"35436"', f'"{ticket["id"]}"'.encode(), 1)
        hook = await client.post(
            "/v1/channels/zendesk/webhook", content=body, headers=_signed(body)
        )
        assert hook.json() == {"received": 1, "applied": 1}, hook.text
        assert await sent.reconcile() == 0  # the webhook's reply is recorded: nothing twice
        case = (await client.get(f"/v1/cases/{case_id}", headers=alice)).json()
        assert [m["body"] for m in case["messages"]] == ["Red tag", "We found it"]
