"""The team's case inbox (`/v1/admin/inbox`): latest activity first, what waits on the
team and since when, filters and pages, one case's whole thread, and assigning a case
without the customer ever seeing who."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from app.backend.crud import cases, staff
from app.backend.db import Database
from app.schemas import CaseStatus, Channel
from app.schemas.staff import StaffRole
from tests.backend.support import open_case, publish
from tests.support import Company, assert_problem, mutation, push

Json = dict[str, Any]


@dataclass
class Inbox:
    """Alice's new case, her case on the storm answered and asked again, Bob's answered
    case, and Bob's closed email."""

    new: Json
    storm: Json
    answered: Json
    email: Json
    incident_id: str


async def reply(
    client: httpx.AsyncClient, headers: dict[str, str], case_id: str, body: str
) -> None:
    [result] = await push(client, headers, mutation("case.reply", case=case_id, body=body))
    assert result["status"] == "applied", result


async def agent(client: httpx.AsyncClient, operator: dict[str, str], case_id: str) -> None:
    answered = await client.post(
        f"/v1/admin/cases/{case_id}/replies", headers=operator, json={"body": "On it."}
    )
    assert answered.status_code == 200, answered.text


@pytest.fixture
async def inbox(
    client: httpx.AsyncClient,
    db: Database,
    company: Company,
    operator: dict[str, str],
    alice: dict[str, str],
    bob: dict[str, str],
) -> Inbox:
    incident = await publish(client, operator)
    with db.write() as conn:
        bob_id = conn.exec_driver_sql(
            "SELECT id FROM customers WHERE email = 'bob@example.com'"
        ).scalar_one()
        email = cases.open_case(
            conn,
            customer_id=bob_id,
            subject="Invoice",
            description="Please send it.",
            category="refunds",
            channel=Channel.email,
        )
        cases.set_case_status(conn, case_id=email.id, status=CaseStatus.closed)
    answered = await open_case(client, bob, subject="Seat")
    await agent(client, operator, answered["id"])
    storm = await open_case(
        client, alice, subject="Flight cancelled", category="rebooking", incident_id=incident["id"]
    )
    await agent(client, operator, storm["id"])
    await reply(client, alice, storm["id"], "Still no seat?")
    await reply(client, alice, storm["id"], "Hello?")
    new = await open_case(client, alice, subject="Lost bag")
    return Inbox(new, storm, answered, email.model_dump(mode="json"), incident["id"])


async def listed(
    client: httpx.AsyncClient, operator: dict[str, str], query: str = ""
) -> list[Json]:
    found = await client.get(f"/v1/admin/inbox{query}", headers=operator)
    assert found.status_code == 200, found.text
    items: list[Json] = found.json()["items"]
    return items


async def test_latest_activity_first_with_what_waits_on_us(
    client: httpx.AsyncClient, operator: dict[str, str], inbox: Inbox
) -> None:
    items = await listed(client, operator)
    assert [c["subject"] for c in items] == ["Lost bag", "Flight cancelled", "Seat", "Invoice"]
    new, storm, answered, email = items
    assert new["waiting_on_us"] and new["waiting_since"] == new["created_at"]
    assert new["messages"] == [] and new["customer_email"] == "alice@example.com"
    assert storm["waiting_on_us"] and storm["status"] == "open"
    assert storm["incident_id"] == inbox.incident_id and storm["messages_complete"] is False
    [last] = storm["messages"]
    assert last["body"] == "Hello?", "the list carries the last message only"
    assert (answered["waiting_on_us"], answered["waiting_since"]) == (False, None)
    assert answered["status"] == "pending"
    assert (email["waiting_on_us"], email["channel"], email["status"]) == (False, "email", "closed")
    assert all(c["assignee"] is None and c["assignee_name"] is None for c in items)

    whole = await client.get(f"/v1/admin/inbox/{inbox.storm['id']}", headers=operator)
    assert whole.status_code == 200, whole.text
    thread = whole.json()["messages"]
    assert [m["body"] for m in thread] == ["On it.", "Still no seat?", "Hello?"]
    assert whole.json()["messages_complete"] is True
    assert whole.json()["waiting_since"] == thread[1]["created_at"], "the first unanswered"
    by_number = await client.get(f"/v1/admin/inbox/{inbox.storm['number']}", headers=operator)
    assert by_number.json() == whole.json()
    assert_problem(await client.get("/v1/admin/inbox/case_nope", headers=operator), 404)


@pytest.mark.parametrize(
    ("query", "subjects"),
    [
        ("?status=new&status=open", ["Lost bag", "Flight cancelled"]),
        ("?status=closed", ["Invoice"]),
        ("?category=rebooking", ["Flight cancelled"]),
        ("?channel=email", ["Invoice"]),
        ("?waiting=true", ["Lost bag", "Flight cancelled"]),
        ("?waiting=false", ["Seat", "Invoice"]),
        ("?waiting=true&status=new", ["Lost bag"]),
        ("?category=nothing-here", []),
    ],
)
async def test_filters(
    client: httpx.AsyncClient,
    operator: dict[str, str],
    inbox: Inbox,
    query: str,
    subjects: list[str],
) -> None:
    assert [c["subject"] for c in await listed(client, operator, query)] == subjects


async def test_filter_by_incident_and_assignee(
    client: httpx.AsyncClient, operator: dict[str, str], inbox: Inbox
) -> None:
    on_storm = await listed(client, operator, f"?incident={inbox.incident_id}")
    assert [c["id"] for c in on_storm] == [inbox.storm["id"]]
    path = f"/v1/admin/cases/{inbox.storm['id']}/assignee"
    assigned = await client.put(path, headers=operator, json={"assignee": "stf_dana"})
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["assignee"] == "stf_dana" and assigned.json()["waiting_on_us"]
    dana = await listed(client, operator, "?assignee=stf_dana")
    assert [c["id"] for c in dana] == [inbox.storm["id"]]
    nobody = await listed(client, operator, "?assignee=none")
    assert inbox.storm["id"] not in [c["id"] for c in nobody] and len(nobody) == 3
    again = await client.put(path, headers=operator, json={"assignee": None})
    assert again.json()["assignee"] is None
    assert await listed(client, operator, "?assignee=stf_dana") == []


async def test_pages_follow_the_cursor(
    client: httpx.AsyncClient, operator: dict[str, str], inbox: Inbox
) -> None:
    everything = [c["id"] for c in await listed(client, operator)]
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        page = await client.get("/v1/admin/inbox", headers=operator, params=params)
        assert page.status_code == 200, page.text
        seen += [c["id"] for c in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
    assert seen == everything and len(seen) == 4


@pytest.mark.parametrize(
    "query",
    [
        "?status=bogus",
        "?waiting=maybe",
        "?limit=0",
        "?limit=101",
        "?cursor=yesterday",
        "?cursor=2026-01-01T00:00:00.000000Z~case%20x",
        "?assignee=stf%20dana",
        "?assignee=" + "x" * 41,
        "?incident=",
        "?category=" + "c" * 101,
    ],
)
async def test_bad_filters_are_refused(
    client: httpx.AsyncClient, operator: dict[str, str], query: str
) -> None:
    assert_problem(await client.get(f"/v1/admin/inbox{query}", headers=operator), 422)


async def test_bad_assignments_are_refused(
    client: httpx.AsyncClient, operator: dict[str, str], inbox: Inbox
) -> None:
    path = f"/v1/admin/cases/{inbox.new['id']}/assignee"
    for bad in (
        {"assignee": "x" * 41},
        {"assignee": "two words"},
        {"assignee": ""},
        {"assignee": 7},
    ):
        assert_problem(await client.put(path, headers=operator, json={"assignee": bad}), 422)
    missing = "/v1/admin/cases/case_nope/assignee"
    assert_problem(await client.put(missing, headers=operator, json={"assignee": "stf_a"}), 404)


async def test_the_customer_never_sees_the_assignee(
    client: httpx.AsyncClient, operator: dict[str, str], alice: dict[str, str], inbox: Inbox
) -> None:
    case_id = inbox.storm["id"]
    before = await client.get("/v1/sync/pull", headers=alice)
    cursor = before.json()["cursor"]
    path = f"/v1/admin/cases/{case_id}/assignee"
    assert (await client.put(path, headers=operator, json={"assignee": "stf_dana"})).is_success
    answers = [
        await client.get("/v1/sync/pull", headers=alice),
        await client.get("/v1/cases", headers=alice),
        await client.get(f"/v1/cases/{case_id}", headers=alice),
    ]
    for answer in answers:
        assert answer.status_code == 200, answer.text
        assert "assignee" not in answer.text and "stf_dana" not in answer.text
    after = await client.get("/v1/sync/pull", headers=alice, params={"cursor": cursor})
    assert after.json()["changes"] == [], "assigning is no change to the customer's case"


async def test_a_case_assigned_to_a_member_of_staff_carries_their_name(
    client: httpx.AsyncClient, db: Database, operator: dict[str, str], inbox: Inbox
) -> None:
    with db.write() as conn:
        dana = staff.add_member(
            conn, email="dana@northwind.example", name="Dana Reyes", role=StaffRole.agent
        )
    path = f"/v1/admin/cases/{inbox.storm['id']}/assignee"
    assigned = await client.put(path, headers=operator, json={"assignee": dana.id})
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["assignee_name"] == "Dana Reyes"
    listed_cases = await listed(client, operator, f"?assignee={dana.id}")
    assert [(c["id"], c["assignee_name"]) for c in listed_cases] == [
        (inbox.storm["id"], "Dana Reyes")
    ]
    one = await client.get(f"/v1/admin/inbox/{inbox.storm['id']}", headers=operator)
    assert one.json()["assignee_name"] == "Dana Reyes"
