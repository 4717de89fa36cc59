"""A hub process feeding Zendesk: the fake Zendesk (Zendesk cannot run here) answers on
loopback over HTTP, the hub's own loop delivers the case and the customer's reply, brings
the agent's answer back by reconciliation, and takes a signed webhook."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from app.backend.channels.zendesk import sign
from tests.backend.zendesk_support import EMAIL, TOKEN, FakeZendesk
from tests.hub_process import RealHub, free_port
from tests.support import bearer, mutation, push_body, until

SECRET = "journey-secret"


@pytest.fixture
def zendesk() -> Iterator[FakeZendesk]:
    port = free_port()
    fake = FakeZendesk(base=f"http://127.0.0.1:{port}")
    server = uvicorn.Server(
        uvicorn.Config(fake.asgi, port=port, log_level="warning", interface="asgi3")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    until(lambda: server.started, "the fake Zendesk")
    yield fake
    server.should_exit = True
    thread.join(timeout=10)


def test_a_case_answered_from_zendesk(
    tmp_path: Path, database_url: str, zendesk: FakeZendesk
) -> None:
    hub = RealHub(tmp_path / "hub", database_url)
    hub.env |= {
        "CARELINE_HELPDESK": "zendesk",
        "CARELINE_HELPDESK_RECONCILE_SECONDS": "0.5",
        "CARELINE_ZENDESK_URL": zendesk.base,
        "CARELINE_ZENDESK_EMAIL": EMAIL,
        "CARELINE_ZENDESK_API_TOKEN": TOKEN,
        "CARELINE_ZENDESK_WEBHOOK_SECRET": SECRET,
    }
    hub.start(demo=False)
    try:
        alice = bearer(hub.sign_in("alice@example.com")["token"])
        opening = mutation("case.open", subject="Lost bag", description="Blue suitcase")
        pushed = httpx.post(f"{hub.url}/v1/sync/push", headers=alice, json=push_body(opening))
        case_id = pushed.json()["results"][0]["entity"]["id"]
        ticket = until(lambda: next(iter(zendesk.tickets.values()), None), "the ticket")
        assert ticket["external_id"] == case_id
        reply = mutation("case.reply", seq=2, case=case_id, body="It has a red tag")
        httpx.post(f"{hub.url}/v1/sync/push", headers=alice, json=push_body(reply))
        until(lambda: len(zendesk.comments[ticket["id"]]) == 2, "the customer's comment")

        zendesk.agent_says(ticket["id"], "We found it at the desk")  # its webhook is lost

        def thread() -> list[dict[str, Any]]:
            case = httpx.get(f"{hub.url}/v1/cases/{case_id}", headers=alice).json()
            return [m for m in case["messages"] if m["author"] == "agent"]

        (answer,) = until(thread, "the reconciled answer")
        assert (answer["body"], answer["channel"]) == ("We found it at the desk", "helpdesk")

        event = {
            "type": "zen:event-type:ticket.status_changed",
            "detail": {"id": str(ticket["id"])},
            "event": {"current": "SOLVED", "previous": "OPEN"},
        }
        body = json.dumps(event).encode()
        hooked = httpx.post(f"{hub.url}/v1/channels/zendesk/webhook", content=body)
        assert hooked.status_code == 401
        stamp = "2026-12-07T10:00:00Z"
        signed = {
            "X-Zendesk-Webhook-Signature": sign(SECRET.encode(), stamp, body),
            "X-Zendesk-Webhook-Signature-Timestamp": stamp,
        }
        hooked = httpx.post(f"{hub.url}/v1/channels/zendesk/webhook", content=body, headers=signed)
        assert hooked.json() == {"received": 1, "applied": 1}, hooked.text
        case = httpx.get(f"{hub.url}/v1/cases/{case_id}", headers=alice).json()
        assert case["status"] == "solved"
        assert "Backlog: pending 0, done 2, failed 0" in hub.cli("channels", "status")
    finally:
        hub.stop()
