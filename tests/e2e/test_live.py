"""Live updates in a real browser: an incident the operator publishes shows as a banner at
once, and an agent's reply appears in the open case without a refresh (and without a banner)."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.e2e.support import (
    PHONE,
    AppProcess,
    case_from_another_device,
    open_page,
    screenshot,
    sign_in_when_asked,
)

EMAIL = "ari@example.com"


def test_a_published_incident_and_an_agent_reply_arrive_live(
    chromium: Browser, app: AppProcess
) -> None:
    page = open_page(chromium, f"{app.url}/cases", viewport=PHONE)
    expect(page.get_by_role("group", name=re.compile("^Sign in to open a case"))).to_be_visible(
        timeout=30_000
    )
    sign_in_when_asked(page, app, EMAIL)
    expect(page.get_by_role("button", name="New case")).to_be_visible(timeout=15_000)

    app.hub.cli(
        "incident", "publish", "--title", "Runway closure at Boston Logan", "--impact",
        "critical", "--component", "flights-bos", "--body", "One runway is closed for snow.",
    )  # fmt: skip
    banner = page.get_by_text("Runway closure at Boston Logan")
    expect(banner).to_be_visible(timeout=2_000)
    screenshot(page, "live-incident-banner-phone-light")
    page.get_by_role("button", name="View", exact=True).click()
    expect(page).to_have_url(re.compile(r"/status/inc_\w+$"))
    # The update is a card: its text is the card's accessible name, or its own.
    update = page.get_by_text("One runway is closed for snow.")
    card = page.get_by_role("group", name=re.compile("One runway is closed for snow"))
    expect(update.or_(card).first).to_be_visible()

    case = case_from_another_device(app, EMAIL, "Connection in Boston", "Will I make it?")["data"]
    page.goto(f"{app.url}/cases/{case['number']}")
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=30_000)
    page.evaluate("document.querySelector('flt-semantics-placeholder').click()")
    expect(page.get_by_text("Will I make it?")).to_be_visible(timeout=15_000)

    app.hub.cli("case", "reply", case["id"], "--body", "Yes: we are holding your connection.")
    expect(page.get_by_text("Yes: we are holding your connection.").first).to_be_visible(
        timeout=2_000
    )
    # The thread shows the reply, so its live notice gets no banner over it (the notice
    # follows the store update by a moment: give it that moment to prove it stays away).
    page.wait_for_timeout(1_000)
    expect(page.get_by_role("button", name="Dismiss")).to_have_count(0)
    screenshot(page, "live-reply-phone-light")
