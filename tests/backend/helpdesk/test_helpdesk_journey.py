"""A hub process feeding a real django-helpdesk whose webhooks point at the hub: a case
opened in the app becomes a ticket, the agent's public answer in the helpdesk comes back
into the case thread by webhook (an internal note never does), the customer's reply
reaches the ticket once, and resolving the ticket solves the case."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.backend.helpdesk.helpdesk_peer import (
    REQUIRE_ENV,
    SECRET,
    HelpdeskPeer,
    unavailable_reason,
)
from tests.hub_process import RealHub
from tests.support import bearer, mutation, push_body

WEBHOOK = "/v1/channels/django-helpdesk/webhook"


class HubHooks:
    """Where the peer sends its webhooks: every list of webhook URLs names the hub twice
    (django-helpdesk's own two settings), so each change reaches the hub twice and must be
    applied once."""

    def __init__(self, hub: RealHub) -> None:
        self._hub = hub

    def url(self, _path: str, secret: str = SECRET) -> str:
        return f"http://careline:{secret}@{self._hub.host}:{self._hub.port}{WEBHOOK}"


@pytest.fixture
def hub_and_helpdesk(tmp_path: Path) -> Iterator[tuple[RealHub, HelpdeskPeer]]:
    reason = unavailable_reason()
    if reason:
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(f"{reason}, but {REQUIRE_ENV} is set")
        pytest.skip(reason)
    hub = RealHub(tmp_path / "hub")
    peer = HelpdeskPeer(tmp_path / "helpdesk", HubHooks(hub))
    peer.start()
    hub.env |= {
        "CARELINE_HELPDESK": "django-helpdesk",
        "CARELINE_HELPDESK_RECONCILE_SECONDS": "600",  # webhooks alone carry the answers
        "CARELINE_DJANGO_HELPDESK_URL": peer.url,
        "CARELINE_DJANGO_HELPDESK_TOKEN": peer.token,
        "CARELINE_DJANGO_HELPDESK_WEBHOOK_SECRET": SECRET,
        "CARELINE_DJANGO_HELPDESK_DEFAULT_QUEUE": str(peer.queues["general"]),
    }
    try:
        hub.start(demo=False)
        yield hub, peer
    finally:
        hub.stop()
        peer.stop()


def _until(done: Callable[[], Any], what: str) -> Any:
    """Wait (up to a minute on a loaded machine) until `done()` is truthy; no time is
    asserted."""
    deadline = time.monotonic() + 60
    while not (found := done()):
        assert time.monotonic() < deadline, f"{what} did not get there"
        time.sleep(0.2)
    return found


def test_a_case_from_the_app_is_answered_in_django_helpdesk(
    hub_and_helpdesk: tuple[RealHub, HelpdeskPeer],
) -> None:
    hub, peer = hub_and_helpdesk
    alice = bearer(hub.sign_in("alice@example.com")["token"])
    opening = mutation("case.open", subject="Lost bag", description="Blue suitcase, tag 4411")
    pushed = httpx.post(f"{hub.url}/v1/sync/push", headers=alice, json=push_body(opening))
    case_id = pushed.json()["results"][0]["entity"]["id"]

    def tickets() -> list[dict[str, Any]]:
        with peer.agent() as agent:
            found: list[dict[str, Any]] = agent.get("/api/tickets/").json()["results"]
            return found

    (ticket,) = _until(tickets, "the ticket")
    assert ticket["submitter_email"] == "alice@example.com"
    assert "Blue suitcase, tag 4411" in ticket["description"]

    with peer.agent() as agent:
        for text, public in (("Internal: check Denver.", False), ("We found it.", True)):
            sent = {"ticket": ticket["id"], "comment": text, "public": public}
            agent.post("/api/followups/", json=sent).raise_for_status()

    def agent_messages() -> list[dict[str, Any]]:
        case = httpx.get(f"{hub.url}/v1/cases/{case_id}", headers=alice).json()
        return [m for m in case["messages"] if m["author"] == "agent"]

    (answer,) = _until(agent_messages, "the agent's answer")
    assert (answer["body"], answer["channel"]) == ("We found it.", "helpdesk")

    reply = mutation("case.reply", seq=2, case=case_id, body="Thank you, I will collect it")
    httpx.post(f"{hub.url}/v1/sync/push", headers=alice, json=push_body(reply))

    def customer_followups() -> list[dict[str, Any]]:
        with peer.agent() as agent:
            ups = agent.get("/api/followups/", params={"ticket": ticket["id"]}).json()
        items = ups["results"] if isinstance(ups, dict) else ups
        return [f for f in items if "Thank you, I will collect it" in f["comment"]]

    assert len(_until(customer_followups, "the customer's reply")) == 1

    with peer.agent() as agent:
        done = {"ticket": ticket["id"], "comment": "Collected.", "public": True, "new_status": 3}
        agent.post("/api/followups/", json=done).raise_for_status()
    case = _until(
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
    assert agent_messages() == [m for m in case["messages"] if m["author"] == "agent"]
