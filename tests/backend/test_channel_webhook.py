"""What the helpdesk's agents do comes back: the webhook route (forged ones refused, a
replayed one adding nothing) and the reconciliation pass after a lost webhook."""

from __future__ import annotations

import json
from typing import Any

import httpx
from fastapi import FastAPI

from app.backend.crud import events
from app.backend.db import Database
from app.backend.push_delivery.messages import message_for
from tests.backend.channels_support import SECRET, FakeHelpdesk, drain, outbox_of
from tests.support import assert_problem, mutation, push, sign_in

URL = "/v1/channels/fake/webhook"


async def _linked_case(client: httpx.AsyncClient, api: FastAPI) -> tuple[dict[str, str], str]:
    """Alice's case, its ticket made in the helpdesk."""
    db: Database = api.state.hub.db
    alice = await sign_in(client, db, "alice@example.com")
    (opened,) = await push(
        client, alice, mutation("case.open", subject="Lost bag", description="Blue")
    )
    assert await drain(outbox_of(api)) == 1
    return alice, str(opened["entity"]["id"])


async def _webhook(client: httpx.AsyncClient, secret: str = SECRET, **body: Any) -> httpx.Response:
    return await client.post(URL, content=json.dumps(body), headers={"x-fake-secret": secret})


async def _thread(client: httpx.AsyncClient, alice: dict[str, str], case_id: str) -> Any:
    response = await client.get(f"/v1/cases/{case_id}", headers=alice)
    assert response.status_code == 200, response.text
    return response.json()


async def test_an_agents_reply_comes_back_once_live_and_pushed(
    channel_client: httpx.AsyncClient, channel_app: FastAPI
) -> None:
    alice, case_id = await _linked_case(channel_client, channel_app)
    db: Database = channel_app.state.hub.db
    with db.read() as conn:
        before = events.latest_event(conn)
    reply = {"kind": "reply", "ticket": "101", "comment": "9001", "body": "Found it!"}
    first = await _webhook(channel_client, **reply)
    assert first.status_code == 200, first.text
    assert first.json() == {"received": 1, "applied": 1}
    again = await _webhook(channel_client, **reply)  # the helpdesk delivers it twice
    assert again.json() == {"received": 1, "applied": 0}

    case = await _thread(channel_client, alice, case_id)
    agents = [m for m in case["messages"] if m["author"] == "agent"]
    assert [(m["body"], m["channel"], m["author_name"]) for m in agents] == [
        ("Found it!", "helpdesk", "Dana")
    ]
    assert case["status"] == "pending"
    with db.read() as conn:
        (event,) = events.events_after(conn, after=before, limit=10)
    assert event.kind == "case" and event.data["messages"][-1]["body"] == "Found it!"
    assert message_for(event) is not None  # pushed to Alice's devices like any reply


async def test_solved_in_the_helpdesk_solves_the_case(
    channel_client: httpx.AsyncClient, channel_app: FastAPI
) -> None:
    alice, case_id = await _linked_case(channel_client, channel_app)
    solved = await _webhook(channel_client, kind="status", ticket="101", status="solved")
    assert solved.json() == {"received": 1, "applied": 1}
    assert (await _thread(channel_client, alice, case_id))["status"] == "solved"
    again = await _webhook(channel_client, kind="status", ticket="101", status="solved")
    assert again.json()["applied"] == 0


async def test_a_forged_or_misaddressed_webhook_is_refused(
    channel_client: httpx.AsyncClient, channel_app: FastAPI
) -> None:
    alice, case_id = await _linked_case(channel_client, channel_app)
    forged = await _webhook(
        channel_client, "guess", kind="reply", ticket="101", comment="1", body="Pay here"
    )
    assert assert_problem(forged, 401)["type"].endswith("forged-webhook")
    other = await channel_client.post("/v1/channels/zendesk/webhook", content=b"{}")
    assert_problem(other, 404)
    garbled = await channel_client.post(URL, content=b"{", headers={"x-fake-secret": SECRET})
    assert_problem(garbled, 422)
    case = await _thread(channel_client, alice, case_id)
    assert [m["author"] for m in case["messages"]] == []


async def test_a_hub_without_a_helpdesk_has_no_webhook(client: httpx.AsyncClient) -> None:
    assert_problem(await client.post(URL, content=b"{}"), 404)


async def test_reconciliation_applies_what_a_lost_webhook_missed_once(
    channel_client: httpx.AsyncClient, channel_app: FastAPI, helpdesk: FakeHelpdesk
) -> None:
    alice, case_id = await _linked_case(channel_client, channel_app)
    helpdesk.reply("101", "Via the webhook", "1")
    await _webhook(channel_client, kind="reply", ticket="101", comment="1", body="Via the webhook")
    helpdesk.reply("101", "The webhook for this one was lost", "2")
    helpdesk.tickets["101"].status = helpdesk.tickets["101"].status.solved
    sent = outbox_of(channel_app)
    assert await sent.reconcile() == 2  # the lost reply and the status
    assert await sent.reconcile() == 0
    case = await _thread(channel_client, alice, case_id)
    assert [m["body"] for m in case["messages"]] == [
        "Via the webhook",
        "The webhook for this one was lost",
    ]
    assert case["status"] == "solved"


async def test_a_customer_reply_after_solving_reopens_the_ticket(
    channel_client: httpx.AsyncClient, channel_app: FastAPI, helpdesk: FakeHelpdesk
) -> None:
    alice, case_id = await _linked_case(channel_client, channel_app)
    await _webhook(channel_client, kind="status", ticket="101", status="solved")
    helpdesk.tickets["101"].status = helpdesk.tickets["101"].status.solved
    await push(channel_client, alice, mutation("case.reply", seq=2, case=case_id, body="Not yet"))
    assert (await _thread(channel_client, alice, case_id))["status"] == "open"
    assert await drain(outbox_of(channel_app)) == 1
    ticket = helpdesk.tickets["101"]
    assert ticket.status.value == "open" and ticket.comments[-1].body == "Not yet"
