"""An agent's files: uploaded for a case through the admin API, checked as a customer's
are, carried by the reply to the customer's thread (the live event and the sync feed),
and downloadable by that customer only."""

from __future__ import annotations

import json
from typing import Any

import httpx
from sqlalchemy import select

from app.backend.db import Database
from app.backend.db.tables import events
from tests.backend.support import PNG, open_case, upload
from tests.support import assert_problem, mutation, push

PDF = b"%PDF-1.4\n% the rebooking\n%%EOF\n"


async def agent_upload(
    client: httpx.AsyncClient,
    operator: dict[str, str],
    case_id: str,
    name: str,
    data: bytes,
    kind: str,
) -> httpx.Response:
    return await client.post(
        f"/v1/admin/cases/{case_id}/attachments",
        headers=operator,
        files={"file": (name, data, kind)},
    )


async def reply_with(
    client: httpx.AsyncClient, operator: dict[str, str], case_id: str, ids: list[str]
) -> httpx.Response:
    return await client.post(
        f"/v1/admin/cases/{case_id}/replies",
        headers=operator,
        json={"body": "Your new ticket is attached.", "author_name": "Maya", "attachments": ids},
    )


def last_case_event(db: Database) -> dict[str, Any]:
    with db.read() as conn:
        row = conn.execute(
            select(events.c.data).where(events.c.kind == "case").order_by(events.c.seq.desc())
        ).first()
    assert row is not None
    data: dict[str, Any] = json.loads(row.data)
    return data


async def test_an_agents_file_reaches_the_customer_and_only_them(
    client: httpx.AsyncClient,
    db: Database,
    alice: dict[str, str],
    bob: dict[str, str],
    operator: dict[str, str],
) -> None:
    case = await open_case(client, alice)
    uploaded = await agent_upload(
        client, operator, case["id"], "ticket.pdf", PDF, "application/pdf"
    )
    assert uploaded.status_code == 201, uploaded.text
    attachment = uploaded.json()
    assert attachment["filename"] == "ticket.pdf" and attachment["size"] == len(PDF)
    # Until a reply carries it, the file is on no message of the case.
    before = (await client.get(f"/v1/cases/{case['id']}", headers=alice)).json()
    assert before["attachments"] == [] and before["messages"] == []

    replied = await reply_with(client, operator, str(case["number"]), [attachment["id"]])
    assert replied.status_code == 200, replied.text
    [message] = replied.json()["messages"]
    assert message["author"] == "agent" and message["attachments"] == [attachment]

    # The live event and the sync feed both carry it.
    [live] = last_case_event(db)["messages"]
    assert live["attachments"] == [attachment]
    feed = (await client.get("/v1/sync/pull", headers=alice, params={"scope": "own"})).json()
    [synced] = [c["data"] for c in feed["changes"] if c["entity"] == "case"]
    assert synced["messages"][0]["attachments"] == [attachment]

    download = await client.get(f"/v1/attachments/{attachment['id']}", headers=alice)
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert_problem(await client.get(f"/v1/attachments/{attachment['id']}", headers=bob), 404)


async def test_an_agents_file_is_checked_like_a_customers(
    client: httpx.AsyncClient, alice: dict[str, str], operator: dict[str, str]
) -> None:
    case = await open_case(client, alice)
    refused = await agent_upload(client, operator, case["id"], "tool.exe", b"MZ\x90", "x/exe")
    assert_problem(refused, 415)
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert_problem(
        await agent_upload(client, operator, case["id"], "a.png", b"text", "image/png"), 422
    )
    missing = await agent_upload(client, operator, "case_nope", "a.png", PNG, "image/png")
    assert_problem(missing, 404)


async def test_a_reply_takes_only_files_uploaded_for_its_case(
    client: httpx.AsyncClient, alice: dict[str, str], bob: dict[str, str], operator: dict[str, str]
) -> None:
    alices = await open_case(client, alice)
    bobs = await open_case(client, bob)
    for_bob = (await agent_upload(client, operator, bobs["id"], "b.png", PNG, "image/png")).json()
    refused = await reply_with(client, operator, alices["id"], [for_bob["id"]])
    assert assert_problem(refused, 409)["type"].endswith("unknown-attachment")
    unknown = await reply_with(client, operator, alices["id"], ["att_nothing"])
    assert_problem(unknown, 409)
    # A file already in the thread stays on the customer's message.
    hers = await upload(client, alice, "tag.png", PNG, "image/png")
    await push(
        client,
        alice,
        mutation("case.reply", case=alices["id"], body="Tag", attachments=[hers.json()["id"]]),
    )
    moved = await reply_with(client, operator, alices["id"], [hers.json()["id"]])
    assert assert_problem(moved, 409)["type"].endswith("unknown-attachment")
    case = (await client.get(f"/v1/cases/{alices['id']}", headers=alice)).json()
    [message] = case["messages"]
    assert message["author"] == "customer" and len(message["attachments"]) == 1
