"""The operator CLI's staff and audit commands, in process, and the demo team signing in
to a real hub with the codes the CLI lists in dev mode (as the console's browser tests
do)."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.backend.support import Run
from tests.hub_process import RealHub
from tests.support import bearer


def test_staff_and_audit_commands(run: Run) -> None:
    assert run("staff list")[1].strip() == "No members of staff."
    code, out = run("staff add", "Kim@Example.com", "--name", "Kim Lee", "--role", "agent")
    assert code == 0 and "kim@example.com (Kim Lee) as agent" in out
    code, out = run("staff add", "kim@example.com", "--name", "Again", "--role", "agent")
    assert code == 2 and "already a member of staff" in out
    with pytest.raises(SystemExit):
        run("staff add", "x@example.com", "--name", "X", "--role", "root")
    assert run("staff change", "kim@example.com", "--role", "supervisor")[0] == 0
    code, out = run("staff change", "kim@example.com", "--disable")
    assert code == 0 and "supervisor, disabled" in out
    code, out = run("staff change", "nobody@example.com", "--enable")
    assert code == 2 and "not a member of staff" in out
    assert run("staff change", "kim@example.com")[0] == 2
    code, out = run("staff list", "--json")
    [kim] = json.loads(out)
    assert kim["role"] == "supervisor" and kim["disabled"] is True
    assert kim["scopes"] == ["callbacks", "cases", "kb"]
    code, out = run("audit", "--json", "--limit", "2")
    entries = json.loads(out)
    assert [e["action"] for e in entries] == ["staff.change", "staff.change"]
    assert entries[0]["detail"] == {"disabled": True}
    assert {e["actor"] for e in entries} == {"cli"}
    code, out = run("audit")
    assert code == 0 and "staff.add" in out and "kim@" not in out.split("staff.add")[0]
    assert run("audit", "--limit", "0")[0] == 2
    # The CLI's other writes are audited as "cli" too.
    assert run("token create", "--scope", "kb", "--label", "desk")[0] == 0
    [made] = json.loads(run("audit", "--json", "--limit", "1")[1])
    assert (made["action"], made["actor"], made["detail"]["label"]) == (
        "token.create",
        "cli",
        "desk",
    )


def test_the_demo_team_signs_in_with_the_codes_the_cli_lists(hub: RealHub) -> None:
    listed = json.loads(hub.cli("staff", "list", "--json"))
    assert {m["email"]: m["role"] for m in listed} == {
        "admin@northwind.example": "admin",
        "agent@northwind.example": "agent",
        "status@northwind.example": "status_manager",
        "supervisor@northwind.example": "supervisor",
    }
    email = "status@northwind.example"
    started = httpx.post(f"{hub.url}/v1/admin/auth/start", json={"email": email})
    assert started.status_code == 202, started.text
    body = {"email": email, "attempt": started.json()["attempt"], "code": hub.newest_code(email)}
    session = httpx.post(f"{hub.url}/v1/admin/auth/verify", json=body)
    assert session.status_code == 200, session.text
    me = httpx.get(f"{hub.url}/v1/admin/me", headers=bearer(session.json()["token"]))
    assert me.json()["scopes"] == ["status"]
    assert "staff.sign_in" in hub.cli("audit")
