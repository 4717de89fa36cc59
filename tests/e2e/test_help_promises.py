"""Two small promises of help, in a real browser against the demo hub: an article says when
it was updated, and a "No" with a comment leads to a case about that article, filled in
(after signing in, which the form asks for); the Help screen says when it was last synced,
and plainly that it is offline once the hub is gone."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Browser, expect

from tests.e2e.support import (
    DESKTOP,
    AppProcess,
    open_page,
    screenshot,
    sign_in_when_asked,
    type_into,
)

SLUG = "hotel-and-meal-vouchers"
TITLE = "Hotel and meal vouchers during delays and cancellations"
COMMENT = "Which desk at ORD gives the vouchers?"


def test_a_no_opens_a_case_about_the_article(chromium: Browser, app: AppProcess) -> None:
    page = open_page(chromium, f"{app.url}/help/{SLUG}", viewport=DESKTOP)
    expect(page.get_by_text("Was this article helpful?")).to_be_visible(timeout=30_000)
    expect(page.get_by_text(re.compile(r"^Updated (just now|\d+ \w+ ago)$"))).to_be_visible()

    page.get_by_role("button", name="No", exact=True).click()
    type_into(page, "What was missing? (optional)", COMMENT, delay=30)
    screenshot(page, "article-no-desktop-light-en")
    page.get_by_role("button", name="Open a case about this article").click()
    address = re.compile(rf"/cases/new\?article={SLUG}$")
    expect(page).to_have_url(address)
    sign_in_when_asked(page, app, "vouchers@example.com")
    expect(page).to_have_url(address, timeout=15_000)

    subject = page.get_by_label("Subject")
    subject.click()  # a field shows its text to the page once focused
    expect(subject).to_have_value(f"About: {TITLE}", timeout=15_000)
    description = page.get_by_label("Describe what happened")
    description.click()
    reference = f"Help article: {TITLE} (/help/{SLUG})"
    expect(description).to_have_value(f"{COMMENT}\n\n{reference}")
    expect(page.get_by_text("Delays and cancellations").first).to_be_visible()
    screenshot(page, "case-about-article-desktop-light-en")

    page.get_by_role("button", name="Send case").click()
    expect(page).to_have_url(re.compile(r"/cases/[\w-]+$"), timeout=15_000)
    expect(page.get_by_text("Waiting to be sent")).to_have_count(0, timeout=30_000)
    [line] = [line for line in app.hub.cli("case", "list").splitlines() if TITLE in line]
    case = json.loads(app.hub.cli("case", "show", line.split()[0]))
    assert (case["subject"], case["category"]) == (f"About: {TITLE}", "delays-cancellations")
    assert case["description"] == f"{COMMENT}\n\n{reference}"


def test_help_says_when_it_was_synced_and_when_offline(chromium: Browser, app: AppProcess) -> None:
    page = open_page(chromium, f"{app.url}/help", viewport=DESKTOP)
    expect(page.get_by_text(re.compile(r"^Help synced "))).to_be_visible(timeout=30_000)
    app.hub.stop()
    page.get_by_label("Refresh").click()
    offline = page.get_by_text(re.compile(r"^Offline — help as of "))
    expect(offline).to_be_visible(timeout=20_000)
    screenshot(page, "help-offline-desktop-light-en")
