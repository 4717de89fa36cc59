"""Staff on the hub: signing in with an emailed code, the role's scopes enforced by the
hub itself, a new role or disabling ending sign-ins at once, and who may manage staff."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from app.backend.crud import auth, staff
from app.backend.db import Database
from app.backend.settings import HubSettings
from tests.backend.staff_support import (
    add_staff,
    codes_for,
    staff_headers,
    staff_session,
    start,
    verify,
)
from tests.backend.support import other_code
from tests.support import assert_problem, bearer, operator_headers, sign_in

INCIDENT = {"title": "Fog", "impact": "minor", "body": "Slow."}


async def test_a_staff_sign_in_holds_the_roles_scopes(
    client: httpx.AsyncClient, db: Database, settings: HubSettings
) -> None:
    add_staff(db, "Sam@Example.com ", "agent", name="Sam Okafor")
    session = await staff_session(client, db, "sam@example.com")
    assert session["staff"]["email"] == "sam@example.com"
    assert session["staff"]["scopes"] == ["cases"]
    expires = datetime.fromisoformat(session["expires_at"].replace("Z", "+00:00"))
    hours = (expires - datetime.now(UTC)) / timedelta(hours=1)
    assert settings.staff_session_hours - 0.1 < hours <= settings.staff_session_hours
    agent = bearer(session["token"])
    me = await client.get("/v1/admin/me", headers=agent)
    assert me.status_code == 200, me.text
    assert me.json()["name"] == "Sam Okafor"
    assert me.json()["role"] == "agent"
    assert (await client.get("/v1/admin/cases", headers=agent)).status_code == 200
    # The hub refuses what the role does not grant, whatever the console shows.
    refused = await client.post("/v1/admin/incidents", headers=agent, json=INCIDENT)
    assert "'status'" in assert_problem(refused, 403)["detail"]
    assert_problem(await client.get("/v1/admin/staff", headers=agent), 403)


async def test_strangers_and_disabled_staff_get_the_same_answer_and_no_code(
    client: httpx.AsyncClient, db: Database
) -> None:
    add_staff(db, "gone@example.com", "admin")
    with db.write() as conn:
        member = staff.find_member(conn, email="gone@example.com")
        assert member is not None
        staff.change_member(conn, staff_id=member.id, role=None, disabled=True)
    add_staff(db, "here@example.com", "agent")
    answers = {}
    for email in ("stranger@example.com", "gone@example.com", "here@example.com"):
        started = await client.post("/v1/admin/auth/start", json={"email": email})
        assert started.status_code == 202, started.text
        answers[email] = started.json()
    assert {tuple(sorted(a)) for a in answers.values()} == {("attempt", "expires_in")}
    assert len({a["expires_in"] for a in answers.values()}) == 1
    assert codes_for(db, answers["stranger@example.com"]["attempt"]) == []
    assert codes_for(db, answers["gone@example.com"]["attempt"]) == []
    assert len(codes_for(db, answers["here@example.com"]["attempt"])) == 1
    # Any code for a stranger's attempt is just expired, as a used one would be.
    refused = await verify(
        client, "stranger@example.com", answers["stranger@example.com"]["attempt"], "12345678"
    )
    assert_problem(refused, 401)


async def test_a_customers_code_does_not_sign_in_staff(
    client: httpx.AsyncClient, db: Database
) -> None:
    add_staff(db, "both@example.com", "admin")
    started = await client.post("/v1/auth/start", json={"email": "both@example.com"})
    attempt = started.json()["attempt"]
    (code,) = codes_for(db, attempt)
    assert_problem(await verify(client, "both@example.com", attempt, code), 401)
    # And it still signs the customer in: the staff verify did not use it up.
    body = {"email": "both@example.com", "attempt": attempt, "code": code}
    assert (await client.post("/v1/auth/verify", json=body)).status_code == 200


async def test_wrong_codes_count_as_for_customers(
    client: httpx.AsyncClient, db: Database, settings: HubSettings
) -> None:
    add_staff(db, "typo@example.com", "agent")
    attempt = await start(client, "typo@example.com")
    (code,) = codes_for(db, attempt)
    for _ in range(settings.code_max_attempts):
        wrong = await verify(client, "typo@example.com", attempt, other_code(code))
        assert assert_problem(wrong, 401)["title"] == "Wrong code"
    # This attempt had its wrong codes: even the right one is refused now.
    locked = await verify(client, "typo@example.com", attempt, code)
    assert assert_problem(locked, 429)["title"] == "Too many attempts"
    fresh = await start(client, "typo@example.com")
    (again,) = codes_for(db, fresh)
    assert (await verify(client, "typo@example.com", fresh, again)).status_code == 200


async def test_a_new_role_or_disabling_ends_their_sign_ins_at_once(
    client: httpx.AsyncClient, db: Database
) -> None:
    add_staff(db, "boss@example.com", "admin")
    member = add_staff(db, "sup@example.com", "supervisor")
    boss = await staff_headers(client, db, "boss@example.com")
    sup = await staff_headers(client, db, "sup@example.com")
    assert (await client.get("/v1/admin/callbacks", headers=sup)).status_code == 200
    changed = await client.put(f"/v1/admin/staff/{member.id}", headers=boss, json={"role": "agent"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["scopes"] == ["cases"]
    assert_problem(await client.get("/v1/admin/callbacks", headers=sup), 401)
    agent = await staff_headers(client, db, "sup@example.com")
    assert_problem(await client.get("/v1/admin/callbacks", headers=agent), 403)
    disabled = await client.put(
        f"/v1/admin/staff/{member.id}", headers=boss, json={"disabled": True}
    )
    assert disabled.json()["disabled"] is True
    assert_problem(await client.get("/v1/admin/cases", headers=agent), 401)
    assert codes_for(db, await start(client, "sup@example.com")) == []
    enabled = await client.put(
        f"/v1/admin/staff/{member.id}", headers=boss, json={"disabled": False}
    )
    assert enabled.json()["disabled"] is False
    back = await staff_headers(client, db, "sup@example.com")
    assert (await client.get("/v1/admin/cases", headers=back)).status_code == 200


async def test_me_and_sign_out_need_a_staff_sign_in(
    client: httpx.AsyncClient, db: Database
) -> None:
    assert_problem(await client.get("/v1/admin/me"), 401)
    cli_token = operator_headers(db)
    only_staff = assert_problem(await client.get("/v1/admin/me", headers=cli_token), 403)
    assert only_staff["title"] == "Staff only"
    customer = await sign_in(client, db, "carla@example.com")
    assert_problem(await client.get("/v1/admin/me", headers=customer), 403)
    assert_problem(await client.post("/v1/admin/auth/sign-out", headers=cli_token), 403)
    add_staff(db, "leaving@example.com", "agent")
    mine = await staff_headers(client, db, "leaving@example.com")
    other = await staff_headers(client, db, "leaving@example.com")
    assert (await client.post("/v1/admin/auth/sign-out", headers=mine)).status_code == 204
    assert_problem(await client.get("/v1/admin/me", headers=mine), 401)
    # Only the sign-in it was sent with ends.
    assert (await client.get("/v1/admin/me", headers=other)).status_code == 200


async def test_a_token_hands_on_only_roles_whose_scopes_it_holds(
    client: httpx.AsyncClient, db: Database
) -> None:
    staff_only = operator_headers(db, "staff")
    new = {"email": "new@example.com", "name": "New Hire", "role": "agent"}
    refused = await client.post("/v1/admin/staff", headers=staff_only, json=new)
    assert "'cases'" in assert_problem(refused, 403)["detail"]
    with_cases = operator_headers(db, "staff", "cases")
    made = await client.post("/v1/admin/staff", headers=with_cases, json=new)
    assert made.status_code == 201, made.text
    assert made.json()["scopes"] == ["cases"]
    again = await client.post("/v1/admin/staff", headers=with_cases, json=new)
    assert_problem(again, 409)
    promote = await client.put(
        f"/v1/admin/staff/{made.json()['id']}", headers=with_cases, json={"role": "admin"}
    )
    assert_problem(promote, 403)
    missing = await client.put("/v1/admin/staff/stf_nope", headers=with_cases, json={})
    assert_problem(missing, 404)
    listed = await client.get("/v1/admin/staff", headers=with_cases)
    assert [m["email"] for m in listed.json()["items"]] == ["new@example.com"]
    assert "staff" in auth.OPERATOR_SCOPES


async def test_an_admin_ends_a_members_sign_ins_and_sees_when_they_last_signed_in(
    client: httpx.AsyncClient, db: Database
) -> None:
    add_staff(db, "boss@example.com", "admin")
    member = add_staff(db, "laptop@example.com", "agent")
    boss = await staff_headers(client, db, "boss@example.com")
    listed = (await client.get("/v1/admin/staff", headers=boss)).json()["items"]
    assert {m["email"]: m["last_sign_in_at"] for m in listed}["laptop@example.com"] is None
    first = await staff_headers(client, db, "laptop@example.com")
    second = await staff_headers(client, db, "laptop@example.com")
    listed = (await client.get("/v1/admin/staff", headers=boss)).json()["items"]
    assert {m["email"]: m["last_sign_in_at"] for m in listed}["laptop@example.com"] is not None
    ended = await client.post(f"/v1/admin/staff/{member.id}/sign-out", headers=boss)
    assert ended.status_code == 200, ended.text
    assert ended.json() == {"ended": 2}
    for gone in (first, second):
        assert_problem(await client.get("/v1/admin/me", headers=gone), 401)
    # Still staff, and still able to sign in; the admin's own sign-in is untouched.
    back = await staff_headers(client, db, "laptop@example.com")
    assert (await client.get("/v1/admin/me", headers=back)).status_code == 200
    assert (await client.get("/v1/admin/me", headers=boss)).status_code == 200
    trail = await client.get(
        "/v1/admin/audit", headers=boss, params={"action": "staff.end_sign_ins"}
    )
    [entry] = trail.json()["items"]
    assert (entry["actor"], entry["subject"], entry["detail"]) == (
        "boss@example.com",
        member.id,
        {"ended": 2},
    )
    # A member whose role's scopes the caller lacks, or no such member, is refused.
    cases_only = operator_headers(db, "staff", "cases")
    admin = add_staff(db, "other.admin@example.com", "admin")
    refused = await client.post(f"/v1/admin/staff/{admin.id}/sign-out", headers=cases_only)
    assert_problem(refused, 403)
    assert_problem(await client.post("/v1/admin/staff/stf_nope/sign-out", headers=boss), 404)
