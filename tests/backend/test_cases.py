"""Cases: opened and answered by the customer through push, answered by an agent."""

from __future__ import annotations

from typing import Any

import httpx

from tests.backend.support import PNG, open_case
from tests.support import mutation, push


async def test_case_conversation(
    client: httpx.AsyncClient, alice: dict[str, str], operator: dict[str, str]
) -> None:
    case = await open_case(client, alice)
    assert case["status"] == "new"
    assert case["number"] > 100_000
    assert case["channel"] == "app"
    reply = await client.post(
        f"/v1/admin/cases/{case['number']}/replies",
        headers=operator,
        json={"body": "We found it in Denver.", "author_name": "Maya"},
    )
    assert reply.status_code == 200
    assert reply.json()["status"] == "pending"
    assert [m["author_name"] for m in reply.json()["messages"]] == ["Maya"]
    [answer] = await push(client, alice, mutation("case.reply", case=case["id"], body="Great!"))
    # A change carries the case's header and the messages it added; reads carry them all.
    added = answer["entity"]["data"]
    assert [(m["author"], m["body"]) for m in added["messages"]] == [("customer", "Great!")]
    assert added["messages_complete"] is False
    assert added["status"] == "open"
    whole = (await client.get(f"/v1/cases/{case['id']}", headers=alice)).json()
    assert whole["messages_complete"] is True
    assert [(m["author"], m["body"]) for m in whole["messages"]] == [
        ("agent", "We found it in Denver."),
        ("customer", "Great!"),
    ]
    assert whole["messages"][0]["author_name"] == "Maya"
    # A reply no agent signs is the support team's: no name, the app words the team.
    team = await client.post(
        f"/v1/admin/cases/{case['number']}/replies", headers=operator, json={"body": "On it."}
    )
    assert team.json()["messages"][-1]["author_name"] is None
    [closed] = await push(client, alice, mutation("case.close", case=case["id"]))
    assert closed["entity"]["data"]["status"] == "closed"
    [late] = await push(client, alice, mutation("case.reply", case=case["id"], body="Also..."))
    assert late["status"] == "rejected"
    assert late["error"]["code"] == "case_closed"
    assert late["error"]["alternatives"][0]["number"] == case["number"]


async def test_cases_list_and_detail(
    client: httpx.AsyncClient, alice: dict[str, str], operator: dict[str, str]
) -> None:
    made = [await open_case(client, alice, subject=f"Case {n}") for n in range(3)]
    page = (await client.get("/v1/cases", params={"limit": 2}, headers=alice)).json()
    assert [c["subject"] for c in page["items"]] == ["Case 2", "Case 1"]
    rest = (
        await client.get("/v1/cases", params={"cursor": page["next_cursor"]}, headers=alice)
    ).json()
    assert [c["subject"] for c in rest["items"]] == ["Case 0"]
    detail = await client.get(f"/v1/cases/{made[0]['id']}", headers=alice)
    assert detail.json()["subject"] == "Case 0"
    admin = (await client.get("/v1/admin/cases", params={"status": "new"}, headers=operator)).json()
    assert len(admin["items"]) == 3
    status = await client.put(
        f"/v1/admin/cases/{made[0]['id']}/status", headers=operator, json={"status": "solved"}
    )
    assert status.json()["status"] == "solved"


async def test_attachments_join_the_case_and_its_messages(
    client: httpx.AsyncClient, alice: dict[str, str], operator: dict[str, str]
) -> None:
    uploaded = await client.post(
        "/v1/attachments", headers=alice, files={"file": ("tag.png", PNG, "image/png")}
    )
    assert uploaded.status_code == 201, uploaded.text
    attachment = uploaded.json()
    assert attachment["size"] == len(PNG)
    case = await open_case(client, alice, attachments=[attachment["id"]])
    assert [a["id"] for a in case["attachments"]] == [attachment["id"]]
    note = await client.post(
        "/v1/attachments", headers=alice, files={"file": ("note.txt", b"receipt 42", "text/plain")}
    )
    [reply] = await push(
        client,
        alice,
        mutation("case.reply", case=case["id"], body="Receipt", attachments=[note.json()["id"]]),
    )
    assert reply["entity"]["data"]["messages"][0]["attachments"][0]["filename"] == "note.txt"
    mine = await client.get(f"/v1/attachments/{attachment['id']}", headers=alice)
    assert mine.content == PNG
    agent = await client.get(f"/v1/admin/attachments/{attachment['id']}", headers=operator)
    assert agent.content == PNG
    [again] = await push(
        client,
        alice,
        mutation("case.open", subject="Other", description="x", attachments=[attachment["id"]]),
    )
    assert again["status"] == "rejected"
    assert again["error"]["code"] == "unknown_attachment"


async def test_case_can_name_an_incident(
    client: httpx.AsyncClient, alice: dict[str, str], operator: dict[str, str]
) -> None:
    created = await client.post(
        "/v1/admin/incidents",
        headers=operator,
        json={"title": "Storm", "impact": "major", "components": [], "body": "Snow"},
    )
    case = await open_case(client, alice, incident_id=created.json()["id"])
    assert case["incident_id"] == created.json()["id"]
    stray = await open_case(client, alice, incident_id="inc_gone")
    assert stray["incident_id"] is None


async def test_an_upload_sent_again_with_its_key_returns_the_first(
    client: httpx.AsyncClient, alice: dict[str, str], bob: dict[str, str]
) -> None:
    def send(headers: dict[str, str], key: str) -> Any:
        return client.post(
            "/v1/attachments",
            headers={**headers, "Idempotency-Key": key},
            files={"file": ("tag.png", PNG, "image/png")},
        )

    first = await send(alice, "upload-1")
    again = await send(alice, "upload-1")
    other = await send(alice, "upload-2")
    bobs = await send(bob, "upload-1")
    assert first.status_code == again.status_code == 201, again.text
    assert again.json() == first.json()
    assert other.json()["id"] != first.json()["id"]
    assert bobs.json()["id"] != first.json()["id"], "keys belong to one customer"
    too_long = await send(alice, "k" * 101)
    assert too_long.status_code == 422


async def test_a_reply_reopens_a_solved_case_and_a_closed_one_says_how_to_follow_up(
    client: httpx.AsyncClient, alice: dict[str, str], operator: dict[str, str]
) -> None:
    case = await open_case(client, alice)
    [early] = await push(client, alice, mutation("case.reply", case=case["id"], body="More"))
    assert early["entity"]["data"]["status"] == "new", "nobody has picked it up yet"
    solved = await client.put(
        f"/v1/admin/cases/{case['id']}/status", headers=operator, json={"status": "solved"}
    )
    assert solved.json()["status"] == "solved"
    [reply] = await push(client, alice, mutation("case.reply", case=case["id"], body="Not yet"))
    assert reply["entity"]["data"]["status"] == "open"
    whole = (await client.get(f"/v1/cases/{case['id']}", headers=alice)).json()
    assert whole["status"] == "open"

    await push(client, alice, mutation("case.close", case=case["id"]))
    [late] = await push(client, alice, mutation("case.reply", case=case["id"], body="Also"))
    assert late["status"] == "rejected" and late["error"]["code"] == "case_closed"
    assert "Open a new case" in late["error"]["detail"]
    after = (await client.get(f"/v1/cases/{case['id']}", headers=alice)).json()
    assert after["status"] == "closed" and [m["body"] for m in after["messages"]] == [
        "More",
        "Not yet",
    ]
