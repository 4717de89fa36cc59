"""Journeys through Status and Help in a real browser, against a real hub."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.e2e.support import DESKTOP, PHONE, AppProcess, open_page, screenshot, type_into

STORM = "Winter storm at Chicago O'Hare: cancellations and long delays"


def test_read_an_incident_and_follow_its_action(chromium: Browser, app: AppProcess) -> None:
    page = open_page(chromium, f"{app.url}/", viewport=DESKTOP)
    expect(page.get_by_text(STORM)).to_be_visible(timeout=30_000)
    expect(page.get_by_text(re.compile("^Severe disruption · "))).to_be_visible()
    expect(page.get_by_text("Flights at Chicago O'Hare (ORD)")).to_be_visible()
    rail = page.get_by_role("button", name="Help").bounding_box()
    assert rail is not None and rail["x"] < 100, "desktop: a navigation rail on the left"
    screenshot(page, "status-desktop-light")

    page.get_by_role("button", name="See details").click()
    expect(page).to_have_url(re.compile(r"/status/inc_\w+$"))
    expect(page.get_by_text("Affected services")).to_be_visible()
    expect(page.get_by_text("Updates", exact=True)).to_be_visible()
    screenshot(page, "incident-desktop-light")

    page.get_by_role("button", name="Read the winter weather waiver").click()
    expect(page).to_have_url(re.compile(r"/help/winter-weather-travel-waiver$"))
    expect(page.get_by_text("Was this article helpful?")).to_be_visible()
    screenshot(page, "article-desktop-light")


def test_search_with_a_typo_open_the_article_and_vote(chromium: Browser, app: AppProcess) -> None:
    page = open_page(chromium, f"{app.url}/status", viewport=PHONE)
    expect(page.get_by_text(STORM)).to_be_visible(timeout=30_000)
    bar = page.get_by_role("button", name="Help").bounding_box()
    assert bar is not None and bar["y"] > 844 - 120, "phone: a navigation bar at the bottom"
    screenshot(page, "status-phone-light")
    page.get_by_role("button", name="Help").click()
    expect(page).to_have_url(re.compile(r"/help$"))
    expect(page.get_by_text("Browse by topic")).to_be_visible()
    screenshot(page, "help-phone-light")

    page.get_by_label("Search help").click()
    page.keyboard.type("bagage alowance", delay=60)  # a fast typist
    expect(page.get_by_label("Search help")).to_have_value("bagage alowance")
    result = page.get_by_role("button", name=re.compile("^Checked baggage allowance"))
    expect(result).to_be_visible()
    screenshot(page, "search-phone-light")
    result.click()
    expect(page).to_have_url(re.compile(r"/help/checked-baggage-allowance$"))
    expect(page.get_by_text("Free checked bags by fare")).to_be_visible()

    page.get_by_role("button", name="No").click()
    type_into(page, "What was missing? (optional)", "Nothing about strollers", delay=30)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text(re.compile("Thanks for your feedback"))).to_be_visible()
    screenshot(page, "article-phone-light")


def test_offline_keeps_showing_what_was_seen(chromium: Browser, app: AppProcess) -> None:
    page = open_page(chromium, f"{app.url}/status", viewport=DESKTOP, scheme="dark")
    expect(page.get_by_text(STORM)).to_be_visible(timeout=30_000)
    screenshot(page, "status-desktop-dark")
    app.hub.stop()
    page.get_by_label("Refresh").click()
    expect(page.get_by_text(re.compile("You're offline"))).to_be_visible(timeout=15_000)
    expect(page.get_by_text(STORM)).to_be_visible()
    screenshot(page, "status-offline-desktop-dark")
    page.goto(f"{app.url}/help/flight-cancelled-what-now")
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=30_000)
    page.evaluate("document.querySelector('flt-semantics-placeholder').click()")
    expect(page.get_by_text("Was this article helpful?")).to_be_visible(timeout=30_000)
    screenshot(page, "article-offline-desktop-dark")
