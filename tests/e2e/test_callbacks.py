"""Booking a callback in a real browser: sign in when asked, pick a free slot, give a
phone number (a wrong one is refused and kept), see it booked on the hub, cancel it."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.e2e.settling import settle, settled_click
from tests.e2e.support import (
    PHONE,
    AppProcess,
    open_page,
    screenshot,
    sign_in_when_asked,
    type_into,
)

SLOT = re.compile(r"^\d{1,2}:\d\d [AP]M$")


def test_book_a_slot_and_cancel_it(chromium: Browser, app: AppProcess) -> None:
    page = open_page(chromium, f"{app.url}/callbacks", viewport=PHONE)
    prompt = page.get_by_role("group", name=re.compile("^Sign in to book a callback"))
    expect(prompt).to_be_visible(timeout=30_000)
    sign_in_when_asked(page, app, "sam@example.com")
    expect(page).to_have_url(re.compile(r"/callbacks$"), timeout=15_000)
    expect(page.get_by_text("No callbacks yet")).to_be_visible()

    page.get_by_role("button", name="Book a callback").click()
    expect(page.get_by_role("radio", name="Rebooking and disruptions")).to_be_checked()
    expect(
        page.get_by_role("radio", name=re.compile(r"As soon as possible \(about"))
    ).to_be_visible()
    page.get_by_role("radio", name="Pick a time").click()
    expect(page.get_by_text(re.compile("Times are in your time zone"))).to_be_visible()
    # The second day with free times: today's may be running out as the test runs.
    slots = page.get_by_role("checkbox", name=SLOT)
    today = slots.count()
    second_day = page.get_by_role("group").get_by_role("checkbox").nth(1)
    second_day.click()
    expect(second_day).to_be_checked()
    for _ in range(30):  # the other day's times replace today's (their number differs)
        if slots.count() != today:
            break
        page.wait_for_timeout(100)
    slot_text = page.get_by_role("checkbox", name=SLOT).first.get_attribute("aria-label") or ""
    slot = page.get_by_role("checkbox", name=slot_text, exact=True)
    slot.click()
    expect(slot).to_be_checked()
    settle(page)  # the chosen chip grows and its row reflows before the next tap
    expect(page.get_by_role("button", name="Country")).to_be_visible()
    # Every free time is on the page, so the fields below are reached once it settled.
    settled_click(page, page.get_by_label("Phone number"))
    type_into(page, "Phone number", "12 34", delay=20)
    settled_click(page, page.get_by_role("button", name="Request callback"))
    expect(page.get_by_text("Enter a phone number that is valid")).to_be_visible()
    expect(page.get_by_label("Phone number")).to_have_value("12 34")
    screenshot(page, "book-callback-error-phone-light")

    settled_click(page, page.get_by_label("Phone number"))
    expect(page.get_by_label("Phone number")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("(312) 555-0100", delay=20)
    settled_click(page, page.get_by_role("button", name="Request callback"))
    expect(page).to_have_url(re.compile(r"/callbacks/[\w-]+$"), timeout=15_000)
    expect(page.get_by_text("+1 312-555-0100")).to_be_visible()
    expect(page.get_by_text(re.compile(re.escape(slot_text)))).to_be_visible()
    expect(page.get_by_text("Scheduled")).to_be_visible()
    expect(page.get_by_text("Waiting to be sent")).to_have_count(0, timeout=20_000)
    screenshot(page, "callback-booked-phone-light")
    booked = [
        line for line in app.hub.cli("callback", "list").splitlines() if "+13125550100" in line
    ]
    assert len(booked) == 1 and "scheduled" in booked[0], booked

    page.get_by_role("button", name="Cancel callback").click()
    page.get_by_role("button", name="Yes, cancel it").click()
    expect(page.get_by_text("Cancelled")).to_be_visible()
    expect(page.get_by_text("Waiting to be sent")).to_have_count(0, timeout=20_000)
    assert "+13125550100" not in app.hub.cli("callback", "list")
