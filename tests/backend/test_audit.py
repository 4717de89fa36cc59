"""The audit trail: every operator write leaves one entry naming who did it (the member
of staff, or the token's label), written in the same transaction as the write, so a
refused or failed action leaves none; read back newest first, a page at a time."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from app.backend.crud import audit, auth
from app.backend.db import Database
from app.backend.db.tables import incidents
from app.backend.util import now
from tests.backend.staff_support import add_staff, audit_rows, staff_headers
from tests.backend.support import alices_first_push, lenient, upload_png
from tests.support import ALWAYS_OPEN, Company, assert_problem, bearer, push

ADMIN = "admin@example.com"


async def alices_case_and_callback(
    client: httpx.AsyncClient, alice: dict[str, str], company: Company
) -> tuple[str, str]:
    attachment = await upload_png(client, alice, "pass.png")
    opened, booked, _ = await push(client, alice, *alices_first_push(company.queue_id, attachment))
    return opened["entity"]["id"], booked["entity"]["id"]


async def test_every_operator_write_is_audited_with_its_actor(
    client: httpx.AsyncClient, db: Database, alice: dict[str, str], company: Company
) -> None:
    case_id, callback_id = await alices_case_and_callback(client, alice, company)
    add_staff(db, ADMIN, "admin", name="Alex Moreno")
    boss = await staff_headers(client, db, ADMIN)
    hour = (now() + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    incident = await client.post(
        "/v1/admin/incidents", headers=boss, json={"title": "Fog", "impact": "minor", "body": "-"}
    )
    incident_id = incident.json()["id"]
    token = await client.post("/v1/admin/tokens", headers=boss, json={"scopes": ["kb"]})
    with db.read() as conn:
        token_id = next(t["id"] for t in auth.list_tokens(conn) if t["scopes"] == ["kb"])
    writes = [
        ("POST", f"/v1/admin/incidents/{incident_id}/updates", {"status": "identified", "body": "-"}),
        ("PUT", "/v1/admin/components/baggage/status", {"status": "major_outage"}),
        ("POST", f"/v1/admin/cases/{case_id}/replies", {"body": "On it."}),
        ("PUT", f"/v1/admin/cases/{case_id}/status", {"status": "open"}),
        ("PUT", f"/v1/admin/callbacks/{callback_id}/status", {"status": "missed"}),
        ("PUT", "/v1/admin/queues/help/hours", {"hours": ALWAYS_OPEN}),
        (
            "PUT",
            "/v1/admin/queues/help/staffing",
            {
                "starts_at": hour.isoformat(),
                "ends_at": (hour + timedelta(hours=1)).isoformat(),
                "agents": 2,
            },
        ),
        ("PUT", "/v1/admin/kb/articles/en/new-one", {"title": "New", "body": "B", "category": "x"}),
        ("DELETE", "/v1/admin/kb/articles/en/new-one", None),
        ("DELETE", f"/v1/admin/tokens/{token_id}", None),
        ("POST", "/v1/admin/staff", {"email": "new@example.com", "name": "N", "role": "agent"}),
    ]
    for method, path, body in writes:
        done = await client.request(method, path, headers=boss, json=body)
        assert done.status_code < 300, (path, done.text)
    new_id = done.json()["id"]
    changed = await client.put(f"/v1/admin/staff/{new_id}", headers=boss, json={"role": "admin"})
    assert changed.status_code == 200, changed.text
    assert (await client.post("/v1/admin/auth/sign-out", headers=boss)).status_code == 204
    # The sign-out ended that token: read the trail with another sign-in.
    reader = await staff_headers(client, db, ADMIN)
    page = (await client.get("/v1/admin/audit?limit=200", headers=reader)).json()
    entries = [e for e in page["items"] if e["action"] != "staff.sign_in"]
    assert [e["action"] for e in reversed(entries)] == [
        "incident.publish",
        "token.create",
        "incident.update",
        "component.state",
        "case.reply",
        "case.status",
        "callback.status",
        "queue.hours",
        "queue.staffing",
        "article.save",
        "article.delete",
        "token.revoke",
        "staff.add",
        "staff.change",
        "staff.sign_out",
    ]
    assert {e["actor"] for e in page["items"]} == {ADMIN}
    assert len({e["staff_id"] for e in page["items"]}) == 1
    by_action = {e["action"]: e for e in entries}
    assert by_action["case.reply"]["subject"] == case_id
    assert by_action["staff.change"]["detail"] == {"role": "admin"}
    assert by_action["token.revoke"]["subject"] == token_id
    assert [e["action"] for e in page["items"]].count("staff.sign_in") == 2
    # The reply is the member of staff's, by name.
    thread = await client.get(f"/v1/cases/{case_id}", headers=alice)
    assert thread.json()["messages"][-1]["author_name"] == "Alex Moreno"


async def test_an_operator_token_is_audited_by_its_label(
    client: httpx.AsyncClient, db: Database, company: Company
) -> None:
    with db.write() as conn:
        named = auth.create_operator_token(conn, scopes=["status"], label="status bot")
        unnamed = auth.create_operator_token(conn, scopes=["status"])
    for token in (named, unnamed):
        done = await client.put(
            "/v1/admin/components/baggage/status", headers=bearer(token), json={"status": "operational"}
        )
        assert done.status_code == 200, done.text
    with db.read() as conn:
        items = audit.list_entries(conn).items
    assert [(e.actor, e.staff_id, e.action) for e in items] == [
        ("cli", None, "component.state"),
        ("status bot", None, "component.state"),
    ]


async def test_a_refused_action_leaves_no_audit_entry(
    client: httpx.AsyncClient, db: Database
) -> None:
    add_staff(db, ADMIN, "admin")
    boss = await staff_headers(client, db, ADMIN)
    before = audit_rows(db)
    missing = await client.post(
        "/v1/admin/incidents/inc_nope/updates", headers=boss, json={"status": "identified", "body": "-"}
    )
    assert_problem(missing, 404)
    taken = await client.post(
        "/v1/admin/staff", headers=boss, json={"email": ADMIN, "name": "Again", "role": "agent"}
    )
    assert_problem(taken, 409)
    agent = operator_token_without_status(db)
    assert_problem(await client.post("/v1/admin/incidents", headers=agent, json={}), 403)
    assert audit_rows(db) == before


def operator_token_without_status(db: Database) -> dict[str, str]:
    with db.write() as conn:
        return bearer(auth.create_operator_token(conn, scopes=["cases"], label="agent desk"))


async def test_the_entry_and_the_action_commit_together(
    hub_app: FastAPI, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the audit entry cannot be written, the action is undone with it."""
    with db.write() as conn:
        token = bearer(auth.create_operator_token(conn, scopes=["status"], label="desk"))

    def broken() -> str:
        raise RuntimeError("the audit log is full")

    monkeypatch.setattr(audit, "audit_id", broken)
    async with lenient(hub_app) as client:
        failed = await client.post(
            "/v1/admin/incidents", headers=token, json={"title": "Fog", "impact": "minor", "body": "-"}
        )
    assert failed.status_code == 500
    with db.read() as conn:
        assert conn.execute(select(func.count()).select_from(incidents)).scalar_one() == 0
    assert audit_rows(db) == 0


async def test_the_trail_pages_newest_first_and_narrows(
    client: httpx.AsyncClient, db: Database
) -> None:
    add_staff(db, ADMIN, "admin")
    reader = await staff_headers(client, db, ADMIN)
    with db.write() as conn:
        for n in range(5):
            audit.record(conn, None, f"case.step{n}", f"case_{n}")
        audit.record(conn, None, "incident.publish", "inc_1")
    first = (await client.get("/v1/admin/audit?limit=3", headers=reader)).json()
    assert [e["action"] for e in first["items"]] == ["incident.publish", "case.step4", "case.step3"]
    rest = await client.get(f"/v1/admin/audit?limit=3&before={first['next_cursor']}", headers=reader)
    assert [e["action"] for e in rest.json()["items"]] == ["case.step2", "case.step1", "case.step0"]
    cases = (await client.get("/v1/admin/audit?action=case.", headers=reader)).json()
    assert len(cases["items"]) == 5
    mine = (await client.get("/v1/admin/audit?staff=stf_nobody", headers=reader)).json()
    assert mine == {"items": [], "next_cursor": None}
    signed_in = (await client.get("/v1/admin/audit?action=staff.sign_in", headers=reader)).json()
    assert [e["actor"] for e in signed_in["items"]] == [ADMIN]
    assert_problem(await client.get("/v1/admin/audit?limit=0", headers=reader), 422)
