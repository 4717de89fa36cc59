"""The console's Cases screen in a real browser: an agent finds a customer's case in the
inbox, answers it with a help article inserted, and the customer's open thread shows the
reply; an agent takes a case, solves it, and the hub's inbox and the customer's thread
follow."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, expect

from tests.e2e.console_support import AGENT, console_running, shown, staff_sign_in
from tests.e2e.settling import settled_click
from tests.e2e.support import (
    PHONE,
    AppProcess,
    case_from_another_device,
    open_page,
    screenshot,
    sign_in_when_asked,
    type_into,
    with_semantics,
)
from tests.support import bearer

EMAIL = "noor@example.com"
REPLY = "We found your bag in Denver; it arrives tonight."


def test_an_agent_replies_from_the_console_and_the_customer_sees_it(
    chromium: Browser, app: AppProcess, tmp_path: Path
) -> None:
    customer = open_page(chromium, f"{app.url}/cases", viewport=PHONE)
    expect(customer.get_by_role("group", name=re.compile("^Sign in to open a case"))).to_be_visible(
        timeout=30_000
    )
    sign_in_when_asked(customer, app, EMAIL)
    expect(customer.get_by_role("button", name="New case")).to_be_visible(timeout=15_000)
    case = case_from_another_device(app, EMAIL, "Bag missing after ORD", "Where is my bag?")
    number = case["data"]["number"]
    customer.goto(f"{app.url}/cases/{number}")
    with_semantics(customer)
    expect(customer.get_by_text("Where is my bag?")).to_be_visible(timeout=15_000)

    with console_running(app.hub, tmp_path) as console:
        page = staff_sign_in(chromium, console, AGENT)
        # An agent's rail: Cases, and no Status.
        expect(page.get_by_role("button", name=re.compile("^Status Tab"))).to_have_count(0)
        # Cases is the agent's first screen: the inbox shows at once.
        expect(page.get_by_role("button", name=re.compile("^Cases Tab"))).to_be_visible()
        row = page.get_by_role("button", name=re.compile(f"#{number} Bag missing after ORD"))
        expect(row).to_be_visible()
        settled_click(page, row)
        expect(shown(page, "Where is my bag?")).to_be_visible()
        expect(shown(page, "waiting")).to_be_visible()
        type_into(page, "Reply to the customer", REPLY)
        type_into(page, "Search articles", "lost bag")
        settled_click(page, page.get_by_role("button", name="Insert article"))
        found = page.get_by_role("button", name=re.compile("^Filing a claim for a lost bag"))
        settled_click(page, found)
        # The article goes into the reply box (a new input, which the browser's
        # accessibility tree shows empty until it has the focus: the customer's thread
        # below is the proof).
        expect(found).to_have_count(0)
        screenshot(page, "console-case-reply-desktop")
        settled_click(page, page.get_by_role("button", name="Send reply"))
        expect(shown(page, "Sam Okafor")).to_be_visible()

    reply = customer.get_by_text(REPLY, exact=False).first
    expect(reply).to_be_visible(timeout=15_000)
    expect(reply).to_contain_text("Filing a claim for a lost bag")
    expect(reply).to_contain_text("/help/lost-baggage-claim")


def hub_inbox_case(app: AppProcess, number: int) -> dict[str, Any]:
    """The case as the hub's inbox lists it (through the admin API, with a cases token)."""
    token = app.hub.cli("token", "create", "--scope", "cases").split()[-1]
    found = httpx.get(f"{app.hub.url}/v1/admin/inbox", headers=bearer(token))
    assert found.status_code == 200, found.text
    items: list[dict[str, Any]] = found.json()["items"]
    return next(c for c in items if c["number"] == number)


def test_an_agent_takes_a_case_and_solves_it_and_the_customer_sees_it(
    chromium: Browser, app: AppProcess, tmp_path: Path
) -> None:
    customer = open_page(chromium, f"{app.url}/cases", viewport=PHONE)
    expect(customer.get_by_role("group", name=re.compile("^Sign in to open a case"))).to_be_visible(
        timeout=30_000
    )
    sign_in_when_asked(customer, app, "ines@example.com")
    expect(customer.get_by_role("button", name="New case")).to_be_visible(timeout=15_000)
    case = case_from_another_device(app, "ines@example.com", "Seat not assigned", "No seat yet.")
    number = case["data"]["number"]
    customer.goto(f"{app.url}/cases/{number}")
    with_semantics(customer)
    expect(customer.get_by_text("No seat yet.")).to_be_visible(timeout=15_000)

    with console_running(app.hub, tmp_path) as console:
        page = staff_sign_in(chromium, console, AGENT)
        row = page.get_by_role("button", name=re.compile(f"#{number} Seat not assigned"))
        settled_click(page, row)
        expect(shown(page, "Assigned to: nobody")).to_be_visible()
        settled_click(page, page.get_by_role("button", name="Assign to me"))
        expect(page.get_by_role("button", name="Unassign")).to_be_visible()
        expect(shown(page, "Assigned to: Sam Okafor")).to_be_visible()
        settled_click(page, page.get_by_role("button", name=re.compile("^Case status")))
        settled_click(page, page.get_by_text("Solved", exact=True).last)
        expect(shown(page, "Solved · ")).to_be_visible()
        screenshot(page, "console-case-assigned-solved-desktop")

    listed = hub_inbox_case(app, number)
    assert listed["assignee_name"] == "Sam Okafor"
    assert listed["status"] == "solved"
    # The customer's open thread follows the hub: the case is solved.
    expect(customer.get_by_text("Solved", exact=True).first).to_be_visible(timeout=15_000)
