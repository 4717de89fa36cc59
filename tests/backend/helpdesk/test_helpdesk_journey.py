"""A hub process feeding a real django-helpdesk whose webhooks point at the hub: a case
opened in the app becomes a ticket, the agent's public answer in the helpdesk comes back
into the case thread by webhook (an internal note never does), the customer's reply
reaches the ticket once, and resolving the ticket solves the case. An agent's files come
back under the app's rules, fetched after the webhook that only names them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.backend.helpdesk.helpdesk_peer import (
    AGENT_NAME,
    HelpdeskPeer,
    agent_follow_up,
    hub_feeding_helpdesk,
    tickets,
)
from tests.hub_process import RealHub
from tests.support import bearer, mutation, push_body, until


@pytest.fixture
def hub_and_helpdesk(tmp_path: Path) -> Iterator[tuple[RealHub, HelpdeskPeer]]:
    with hub_feeding_helpdesk(tmp_path, demo=False) as both:
        yield both


def open_case(
    hub: RealHub, peer: HelpdeskPeer, subject: str, description: str
) -> tuple[dict[str, str], str, dict[str, Any]]:
    """Alice's session, the case she opens in the app, and the ticket it becomes."""
    alice = bearer(hub.sign_in("alice@example.com")["token"])
    opening = mutation("case.open", subject=subject, description=description)
    pushed = httpx.post(f"{hub.url}/v1/sync/push", headers=alice, json=push_body(opening))
    case_id: str = pushed.json()["results"][0]["entity"]["id"]
    (ticket,) = until(lambda: tickets(peer), "the ticket")
    return alice, case_id, ticket


def test_a_case_from_the_app_is_answered_in_django_helpdesk(
    hub_and_helpdesk: tuple[RealHub, HelpdeskPeer],
) -> None:
    hub, peer = hub_and_helpdesk
    alice, case_id, ticket = open_case(hub, peer, "Lost bag", "Blue suitcase, tag 4411")
    assert ticket["submitter_email"] == "alice@example.com"
    assert "Blue suitcase, tag 4411" in ticket["description"]

    agent_follow_up(peer, ticket["id"], "Internal: check Denver.", public=False)
    agent_follow_up(peer, ticket["id"], "We found it.")

    def agent_messages() -> list[dict[str, Any]]:
        case = httpx.get(f"{hub.url}/v1/cases/{case_id}", headers=alice).json()
        return [m for m in case["messages"] if m["author"] == "agent"]

    (answer,) = until(agent_messages, "the agent's answer")
    assert (answer["body"], answer["channel"]) == ("We found it.", "helpdesk")

    reply = mutation("case.reply", seq=2, case=case_id, body="Thank you, I will collect it")
    httpx.post(f"{hub.url}/v1/sync/push", headers=alice, json=push_body(reply))

    def customer_followups() -> list[dict[str, Any]]:
        with peer.agent() as agent:
            ups = agent.get("/api/followups/", params={"ticket": ticket["id"]}).json()
        items = ups["results"] if isinstance(ups, dict) else ups
        return [f for f in items if "Thank you, I will collect it" in f["comment"]]

    assert len(until(customer_followups, "the customer's reply")) == 1

    agent_follow_up(peer, ticket["id"], "Collected.", new_status=3)  # Resolved
    case = until(
        lambda: (
            (c := httpx.get(f"{hub.url}/v1/cases/{case_id}", headers=alice).json())["status"]
            == "solved"
            and c
        ),
        "the solved case",
    )
    assert [m["body"] for m in case["messages"] if m["author"] == "agent"] == [
        "We found it.",
        "Collected.",
    ]


def test_an_agent_reply_with_files_comes_back_with_them_and_the_agent_name(
    hub_and_helpdesk: tuple[RealHub, HelpdeskPeer],
) -> None:
    hub, peer = hub_and_helpdesk
    alice, case_id, ticket = open_case(hub, peer, "Refund", "Receipt please")

    files = [
        ("attachments", ("receipt.txt", b"Receipt 4411", "text/plain")),
        ("attachments", ("form.docx", b"PK\x03\x04 a form", "application/msword")),
    ]
    with peer.agent() as agent:  # the helpdesk takes .docx; Careline's rules do not
        sent = {"ticket": str(ticket["id"]), "comment": "Here it is.", "public": "true"}
        agent.post("/api/followups/", data=sent, files=files).raise_for_status()

    def answer() -> dict[str, Any] | None:
        case = httpx.get(f"{hub.url}/v1/cases/{case_id}", headers=alice).json()
        return next((m for m in case["messages"] if m["author"] == "agent"), None)

    message = until(answer, "the agent's answer")
    assert message["author_name"] == AGENT_NAME
    assert message["body"].startswith("Here it is.\n\n[Attachment 'form.docx' not kept: Attach")
    (kept,) = message["attachments"]
    assert (kept["filename"], kept["content_type"]) == ("receipt.txt", "text/plain")
    got = httpx.get(f"{hub.url}/v1/attachments/{kept['id']}", headers=alice)
    assert got.content == b"Receipt 4411"
