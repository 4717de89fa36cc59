"""One account must not fill the hub's disk: against a real hub, what a reply stores (its
event and its idempotency record) and what its push answers carry stay the size of the
reply, not of the whole thread (holding every message, they would grow with the square of
the replies); and a case holds at most `max_case_messages` messages."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.backend.crud import auth
from app.backend.db import Database
from app.backend.db.tables import events, mutations
from app.backend.settings import HubSettings, sqlite_url
from tests.hub_process import RealHub
from tests.support import bearer

pytestmark = pytest.mark.server

REPLIES = 60
REPLY_BYTES = 5_000


def hub_database(hub: RealHub) -> Database:
    return Database(hub.env.get("CARELINE_DATABASE_URL") or sqlite_url(hub.data_dir))


def customer_session(hub: RealHub, email: str) -> tuple[httpx.Client, str]:
    """A client signed in as a new customer (issued in the hub's database: this test is
    about storage, not sign-in), and the customer's id."""
    db = hub_database(hub)
    settings = HubSettings(data_dir=hub.data_dir, database_url=db.url)
    try:
        with db.write() as conn:
            customer = auth.ensure_customer(conn, email=email)
            session = auth.issue_customer_session(conn, customer=customer, settings=settings)
    finally:
        db.dispose()
    client = httpx.Client(base_url=hub.url, headers=bearer(session.token), timeout=60)
    return client, customer.id


def push(client: httpx.Client, name: str, **args: Any) -> tuple[dict[str, Any], int]:
    """One mutation pushed on its own: its result, and the size of the push answer."""
    mutation = {
        "seq": 1,
        "key": str(uuid.uuid4()),
        "name": name,
        "created_at": "2026-11-22T10:00:00Z",
        "args": args,
    }
    answer = client.post("/v1/sync/push", json={"client_id": "laptop", "mutations": [mutation]})
    assert answer.status_code == 200, answer.text
    [result] = answer.json()["results"]
    return result, len(answer.content)


def stored_bytes(hub: RealHub, customer_id: str) -> tuple[int, int]:
    """What the customer's events and idempotency records hold, in characters."""
    db = hub_database(hub)
    try:
        with db.read() as conn:
            in_events = conn.execute(
                select(func.coalesce(func.sum(func.length(events.c.data)), 0)).where(
                    events.c.customer_id == customer_id
                )
            ).scalar_one()
            in_mutations = conn.execute(
                select(func.coalesce(func.sum(func.length(mutations.c.result)), 0)).where(
                    mutations.c.customer_id == customer_id
                )
            ).scalar_one()
    finally:
        db.dispose()
    return int(in_events), int(in_mutations)


def test_replies_store_and_answer_only_what_they_add(real_hub: RealHub) -> None:
    client, customer_id = customer_session(real_hub, "grower@example.com")
    with client:
        opened, _ = push(client, "case.open", subject="Long one", description="d", client_ref="c1")
        case_id = opened["entity"]["id"]
        start_events, start_mutations = stored_bytes(real_hub, customer_id)
        sent, answers = 0, []
        for n in range(REPLIES):
            body = f"reply {n:03d} " + "x" * REPLY_BYTES
            result, size = push(client, "case.reply", case=case_id, body=body)
            assert result["status"] == "applied", result
            sent += len(body)
            answers.append(size)
        end_events, end_mutations = stored_bytes(real_hub, customer_id)
        # 60 replies of 5 kB (300 kB sent): each table grows with what was sent, not by
        # the ~9 MB a copy of the whole thread per reply would take, nor is the last answer
        # the ~300 kB of the whole thread.
        assert end_events - start_events < 3 * sent, (end_events - start_events, sent)
        assert end_mutations - start_mutations < 3 * sent, (end_mutations - start_mutations, sent)
        assert answers[-1] < 20_000, answers[-1]
        last = result["entity"]["data"]
        # The answer carries the case's header and the new message, marked partial.
        assert last["messages_complete"] is False
        assert [m["body"] for m in last["messages"]] == [body]
        # The read routes and the sync feed still carry the whole thread.
        whole = client.get(f"/v1/cases/{case_id}").json()
        assert whole["messages_complete"] is True
        assert len(whole["messages"]) == REPLIES
        pulled = client.get("/v1/sync/pull", params={"scope": "own"}).json()
        [case] = [c["data"] for c in pulled["changes"] if c["id"] == case_id]
        assert len(case["messages"]) == REPLIES and case["messages_complete"] is True


def test_a_case_refuses_messages_past_its_cap(tmp_path: Path, database_url: str) -> None:
    hub = RealHub(tmp_path / "hub", database_url)
    hub.env["CARELINE_MAX_CASE_MESSAGES"] = "3"
    hub.start(demo=False)
    try:
        client, _ = customer_session(hub, "chatty@example.com")
        operator = {
            "Authorization": "Bearer " + hub.cli("token", "create", "--scope", "cases").strip()
        }
        with client:
            opened, _ = push(client, "case.open", subject="s", description="d")
            case_id = opened["entity"]["id"]
            for n in range(2):
                result, _ = push(client, "case.reply", case=case_id, body=f"reply {n}")
                assert result["status"] == "applied", result
            agent = client.post(
                f"/v1/admin/cases/{case_id}/replies", headers=operator, json={"body": "On it"}
            )
            assert agent.status_code == 200, agent.text
            # The fourth message, from the customer or an agent, is refused.
            refused, _ = push(client, "case.reply", case=case_id, body="one more")
            assert refused["status"] == "rejected"
            assert refused["error"]["code"] == "case_full"
            assert "3 messages" in refused["error"]["detail"]
            assert "new case" in refused["error"]["detail"]
            late = client.post(
                f"/v1/admin/cases/{case_id}/replies", headers=operator, json={"body": "More"}
            )
            assert late.status_code == 409, late.text
            assert late.headers["content-type"].startswith("application/problem+json")
            assert late.json()["type"].endswith("/case-full")
            thread = client.get(f"/v1/cases/{case_id}").json()["messages"]
            assert [m["body"] for m in thread] == ["reply 0", "reply 1", "On it"]
            # Another case is still open to the customer.
            other, _ = push(client, "case.open", subject="s2", description="d2")
            assert (
                push(client, "case.reply", case=other["entity"]["id"], body="hi")[0]["status"]
                == "applied"
            )
    finally:
        hub.stop()
