"""The admin screens' state without a browser: the Team screen's add form (the shared wire
model's rules first, then the hub's: a refused add keeps what was typed and says the
hub's reason), role changes, deactivating and ending sign-ins; the audit log's filters,
names and "Older" paging with the hub's cursor. The hub is an httpx mock transport
answering the staff routes the way app/schemas/staff.py and app/backend/routes/staff.py
say."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from app.console.client import ConsoleClient
from app.console.sessions import BrowserSessions
from app.console.state.audit import AuditState, detail_text
from app.console.state.console import ConsoleState
from app.console.state.team import Asked, Asking, Done, NewMember, TeamState, active_first
from app.console.views.shell import visible
from app.schemas.staff import AuditEntry, StaffMember, StaffRole, StaffSession
from tests.unit.console_support import staff_member

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)


def member(staff_id: str, name: str, role: StaffRole, disabled: bool = False) -> StaffMember:
    return staff_member(staff_id, name, role, NOW, disabled=disabled)


ADMIN = member("s1", "Ada", StaffRole.admin)


def entry(number: int, action: str, staff_id: str | None = "s1", **detail: Any) -> dict[str, Any]:
    return {
        "id": f"aud_{number:04d}",
        "at": (NOW - timedelta(minutes=number)).isoformat(),
        "actor": "ada@example.com" if staff_id else "cli",
        "staff_id": staff_id,
        "action": action,
        "subject": "s2",
        "detail": detail,
    }


class FakeHub:
    """The staff routes: a list of members it changes, and 120 audit entries paged by
    `before` in pages of `limit`; what was sent is kept."""

    def __init__(self) -> None:
        self.members = [ADMIN, member("s2", "Bo", StaffRole.agent)]
        self.trail = [entry(n, "staff.change" if n % 2 else "case.reply") for n in range(120)]
        self.sent: list[tuple[str, str, Any, dict[str, str]]] = []

    def problem(self, status: int, detail: str) -> httpx.Response:
        body = {"type": "about:blank", "title": "Refused", "status": status, "detail": detail}
        return httpx.Response(
            status, json=body, headers={"content-type": "application/problem+json"}
        )

    def __call__(self, request: httpx.Request) -> httpx.Response:
        sent = json.loads(request.content) if request.content else None
        body: dict[str, Any] = sent or {}
        params = dict(request.url.params)
        path, method = request.url.path, request.method
        self.sent.append((method, path, sent, params))
        if path == "/v1/admin/staff" and method == "GET":
            return httpx.Response(
                200, json={"items": [m.model_dump(mode="json") for m in self.members]}
            )
        if path == "/v1/admin/staff" and method == "POST":
            if any(m.email == body["email"] for m in self.members):
                return self.problem(409, f"{body['email']} is already a member of staff.")
            made = member(f"s{len(self.members) + 1}", body["name"], StaffRole(body["role"]))
            self.members.append(made.model_copy(update={"email": body["email"]}))
            return httpx.Response(201, json=self.members[-1].model_dump(mode="json"))
        if path.endswith("/sign-out"):
            return httpx.Response(200, json={"ended": 2})
        if path.startswith("/v1/admin/staff/") and method == "PUT":
            found = next(m for m in self.members if m.id == path.rsplit("/", 1)[-1])
            changed = found.model_copy(
                update={
                    "role": StaffRole(body.get("role", found.role)),
                    "disabled": body.get("disabled", found.disabled),
                }
            )
            self.members = [changed if m.id == found.id else m for m in self.members]
            return httpx.Response(200, json=changed.model_dump(mode="json"))
        if path == "/v1/admin/audit":
            rows = [
                e
                for e in self.trail
                if e["staff_id"] == params.get("staff", e["staff_id"])
                and e["action"].startswith(params.get("action", ""))
            ]
            if "before" in params:
                rows = [e for e in rows if e["id"] > params["before"]]  # older: higher numbers
            limit = int(params["limit"])
            more = len(rows) > limit
            page = rows[:limit]
            return httpx.Response(
                200, json={"items": page, "next_cursor": page[-1]["id"] if more else None}
            )
        return httpx.Response(404, json={"title": "Not found", "status": 404})


def console(hub: FakeHub) -> ConsoleState:
    sessions = BrowserSessions()
    sessions.keep("k", StaffSession(token="t", expires_at=NOW + timedelta(days=1), staff=ADMIN))
    client = ConsoleClient("http://hub", transport=httpx.MockTransport(hub))
    return ConsoleState(client.for_token(lambda: sessions.token("k")), sessions, "k")


def test_members_who_may_sign_in_come_first_by_name() -> None:
    listed = active_first(
        [
            member("a", "zed", StaffRole.agent),
            member("b", "Ann", StaffRole.agent, disabled=True),
            member("c", "Bea", StaffRole.admin),
        ]
    )
    assert [m.name for m in listed] == ["Bea", "zed", "Ann"]


async def test_an_add_the_rules_or_the_hub_refuse_keeps_what_was_typed() -> None:
    hub = FakeHub()
    team = TeamState(console(hub))
    await team.load()
    assert [m.name for m in team.members] == ["Ada", "Bo"]
    assert team.me == "s1"
    team.type_new(email="not an email", name="  ")
    team.choose_role("supervisor")
    await team.add()
    assert team.wrong == ["email", "name"]
    assert team.new == NewMember("not an email", "  ", StaffRole.supervisor)
    assert not [s for s in hub.sent if s[0] == "POST"]  # nothing sent the hub would refuse
    team.type_new(email="bo@example.com", name="Bo Again")
    await team.add()
    assert team.wrong == []
    assert team.error is not None and "already a member of staff" in team.error.detail
    assert team.new.email == "bo@example.com" and team.new.name == "Bo Again"
    team.type_new(email=" cy@example.com ", name="Cy")
    await team.add()
    assert team.error is None
    assert team.done == Done("added", "Cy")
    assert [s[2] for s in hub.sent if s[0] == "POST"][-1] == {
        "email": "cy@example.com",
        "name": "Cy",
        "role": "supervisor",
    }
    assert team.new == NewMember(role=StaffRole.supervisor)  # the form is empty again
    assert "Cy" in [m.name for m in team.members]


async def test_a_new_role_deactivating_and_ending_sign_ins_reach_the_hub() -> None:
    hub = FakeHub()
    team = TeamState(console(hub))
    await team.load()
    bo = team.members[1]
    await team.set_role(bo, "agent")  # the same role: nothing to send
    await team.set_role(bo, "supervisor")
    await team.deactivate(team.members[1])
    assert team.done == Done("deactivated", "Bo")
    assert [m.disabled for m in team.members] == [False, True]
    await team.reactivate(team.members[1])
    await team.end_sign_ins(team.members[1])
    assert team.done == Done("signed_out", "Bo", 2)
    writes = [(s[0], s[1], s[2]) for s in hub.sent if s[0] in ("PUT", "POST")]
    assert writes == [
        ("PUT", "/v1/admin/staff/s2", {"role": "supervisor"}),
        ("PUT", "/v1/admin/staff/s2", {"disabled": True}),
        ("PUT", "/v1/admin/staff/s2", {"disabled": False}),
        ("POST", "/v1/admin/staff/s2/sign-out", None),
    ]


async def test_deactivating_and_ending_sign_ins_are_asked_first_and_cancel_keeps_all() -> None:
    hub = FakeHub()
    team = TeamState(console(hub))
    await team.load()
    before = list(team.members)
    whats: list[Asked] = ["deactivate", "end_sign_ins"]
    for what in whats:
        team.ask(team.members[1], what)
        assert team.asking == Asking("s2", what)
        team.cancel()
        assert team.asking is None and team.done is None
    await team.confirm()  # nothing asked: nothing done
    assert team.members == before
    assert [s for s in hub.sent if s[0] != "GET"] == [], "nothing reached the hub"
    team.ask(team.members[1], "deactivate")
    await team.confirm()
    assert team.asking is None and team.done == Done("deactivated", "Bo")
    assert [m.disabled for m in team.members] == [False, True]
    team.ask(team.members[1], "end_sign_ins")
    await team.confirm()
    assert team.done == Done("signed_out", "Bo", 2)
    writes = [(s[0], s[1], s[2]) for s in hub.sent if s[0] != "GET"]
    assert writes == [
        ("PUT", "/v1/admin/staff/s2", {"disabled": True}),
        ("POST", "/v1/admin/staff/s2/sign-out", None),
    ]


async def test_the_audit_log_pages_back_with_the_cursor_under_its_filters() -> None:
    hub = FakeHub()
    audit = AuditState(console(hub))
    await audit.load()
    assert [e.id for e in audit.entries[:2]] == ["aud_0000", "aud_0001"]
    assert len(audit.entries) == 50 and audit.cursor == "aud_0049"
    await audit.older()
    await audit.older()
    assert len(audit.entries) == 120 and audit.cursor is None
    assert len({e.id for e in audit.entries}) == 120
    await audit.older()  # nothing older: nothing asked
    assert len(audit.entries) == 120
    await audit.choose_family("staff")
    assert {e.action for e in audit.entries} == {"staff.change"}
    assert hub.sent[-1][3] == {"action": "staff.", "limit": "50"}
    await audit.choose_member("s1")
    await audit.older()
    assert hub.sent[-1][3] == {
        "staff": "s1",
        "action": "staff.",
        "before": "aud_0099",
        "limit": "50",
    }
    await audit.choose_family("no-such-family")
    assert audit.family is None and len(audit.entries) == 50


def test_an_entry_reads_as_who_did_what_to_whom() -> None:
    audit = AuditState(console(FakeHub()))
    audit.members = [ADMIN, member("s2", "Bo", StaffRole.agent)]
    done = AuditEntry.model_validate(entry(1, "staff.change", role="supervisor", disabled=False))
    assert audit.who(done) == "Ada (ada@example.com)"
    assert audit.subject(done) == "Bo"
    assert detail_text(done) == "disabled: False, role: supervisor"
    by_cli = AuditEntry.model_validate(entry(2, "staff.add", staff_id=None) | {"subject": "x1"})
    assert (audit.who(by_cli), audit.subject(by_cli)) == ("cli", "x1")
    signed_in = AuditEntry.model_validate(entry(3, "staff.sign_in") | {"subject": "s1"})
    assert audit.subject(signed_in) == ""  # the actor themselves: said once


def test_only_a_role_with_the_staff_scope_has_team_and_audit_in_its_rail() -> None:
    tab = console(FakeHub())
    tab.session.staff = ADMIN
    assert {"/team", "/audit"} <= {route for route, _, _ in visible(tab)}
    for role in (StaffRole.agent, StaffRole.supervisor, StaffRole.status_manager):
        tab.session.staff = member("s9", "Other", role)
        assert {"/team", "/audit"}.isdisjoint(route for route, _, _ in visible(tab))
