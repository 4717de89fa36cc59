"""The admin's Team and Audit log screens against a real hub: an admin adds an agent,
gives them a new role, and the audit log shows both, by name; both screens are
photographed at 1280x800 and 1024x768, light and dark (test-artifacts/screenshots/
console-team-* and console-audit-*). A non-admin's rail has neither, and the hub refuses
their token on the staff route whatever the console shows."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.e2e.console_support import AGENT, console_running, shown, staff_sign_in
from tests.e2e.settling import settled_click
from tests.e2e.supervisor_data import go_to
from tests.e2e.support import screenshot, type_into
from tests.hub_process import RealHub

ADMIN = "admin@northwind.example"
NEW_AGENT = "nia.obi@northwind.example"
SIZES: list[ViewportSize] = [{"width": 1280, "height": 800}, {"width": 1024, "height": 768}]


def shoot(page: Page, name: str) -> None:
    """The screen at both sizes in both colour schemes (the naming of test_console_screens)."""
    for size in SIZES:
        page.set_viewport_size(size)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            screenshot(page, f"console-{name}-{size['width']}-{scheme}")
    page.set_viewport_size(SIZES[0])
    page.emulate_media(color_scheme="light")


def staff_token(hub: RealHub, email: str) -> str:
    started = httpx.post(f"{hub.url}/v1/admin/auth/start", json={"email": email})
    attempt = started.json()["attempt"]
    verified = httpx.post(
        f"{hub.url}/v1/admin/auth/verify",
        json={"email": email, "attempt": attempt, "code": hub.newest_code(email)},
    )
    token: str = verified.json()["token"]
    return token


def test_an_admin_adds_an_agent_changes_the_role_and_the_audit_log_shows_it(
    hub: RealHub, chromium: Browser, tmp_path: Path
) -> None:
    with console_running(hub, tmp_path) as console:
        page = staff_sign_in(chromium, console, ADMIN)
        go_to(page, "Team")
        expect(shown(page, "Sam Okafor")).to_be_visible(timeout=30_000)
        type_into(page, "Work email", NEW_AGENT)
        type_into(page, "Name", "Nia Obi")
        settled_click(page, page.get_by_role("button", name="Add member"))
        expect(shown(page, "Nia Obi was added")).to_be_visible(timeout=30_000)
        # The same email again: the hub's reason shows, and what was typed stays.
        type_into(page, "Work email", NEW_AGENT)
        type_into(page, "Name", "Nia Again")
        settled_click(page, page.get_by_role("button", name="Add member"))
        expect(shown(page, "is already a member of staff")).to_be_visible(timeout=30_000)
        expect(page.get_by_label("Name", exact=True)).to_have_value("Nia Again")

        settled_click(page, page.get_by_role("button", name=re.compile("^Role of Nia Obi")))
        settled_click(page, page.get_by_text("Supervisor", exact=True).last)
        expect(shown(page, "Nia Obi has a new role")).to_be_visible(timeout=30_000)
        shoot(page, "team")
        # Deactivating asks first in the member's row; Cancel keeps everything as it was.
        settled_click(page, page.get_by_role("button", name="Deactivate", exact=True).first)
        question = shown(page, "? They are signed out now")
        expect(question).to_be_visible(timeout=30_000)
        settled_click(page, page.get_by_role("button", name="Cancel", exact=True))
        expect(question).to_have_count(0)
        expect(shown(page, "is deactivated and signed out")).to_have_count(0)

        go_to(page, "Audit log")
        expect(shown(page, "Changed a member of staff · Nia Obi")).to_be_visible(timeout=30_000)
        expect(shown(page, "Added a member of staff · Nia Obi")).to_be_visible()
        expect(shown(page, "role: supervisor")).to_be_visible()
        # Only staff actions: the admin's sign-in and the two changes, newest first.
        settled_click(page, page.get_by_role("button", name=re.compile("^Actions")))
        settled_click(page, page.get_by_text("Staff and sign-ins", exact=True).last)
        expect(shown(page, "Signed in")).to_be_visible(timeout=30_000)
        expect(shown(page, "Published an incident")).to_have_count(0)
        shoot(page, "audit")
        page.context.close()

    admin = {"Authorization": f"Bearer {staff_token(hub, ADMIN)}"}
    members = httpx.get(f"{hub.url}/v1/admin/staff", headers=admin).json()["items"]
    assert {m["email"]: m["role"] for m in members}[NEW_AGENT] == "supervisor"
    assert not [m["email"] for m in members if m["disabled"]], "the cancelled one stays active"
    trail = httpx.get(
        f"{hub.url}/v1/admin/audit", headers=admin, params={"action": "staff."}
    ).json()["items"]
    mine = [
        (e["action"], e["actor"]) for e in trail if e["action"] in ("staff.add", "staff.change")
    ]
    assert mine == [("staff.change", ADMIN), ("staff.add", ADMIN)]


def test_a_non_admin_has_no_team_screen_and_the_hub_refuses_the_staff_route(
    hub: RealHub, chromium: Browser, tmp_path: Path
) -> None:
    with console_running(hub, tmp_path) as console:
        page = staff_sign_in(chromium, console, AGENT)
        expect(page.get_by_role("button", name=re.compile("^Cases Tab"))).to_be_visible()
        expect(page.get_by_role("button", name=re.compile("^Team Tab"))).to_have_count(0)
        expect(page.get_by_role("button", name=re.compile("^Audit log Tab"))).to_have_count(0)
        page.context.close()
    agent = {"Authorization": f"Bearer {staff_token(hub, AGENT)}"}
    refused = httpx.get(f"{hub.url}/v1/admin/staff", headers=agent)
    assert refused.status_code == 403, refused.text
    assert httpx.get(f"{hub.url}/v1/admin/audit", headers=agent).status_code == 403
    post = {"email": "sneaky@northwind.example", "name": "Sneaky", "role": "admin"}
    assert httpx.post(f"{hub.url}/v1/admin/staff", headers=agent, json=post).status_code == 403
