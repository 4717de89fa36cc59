"""Never lose the way or the words, in a real browser: Back returns where the customer
came from, what was typed survives a look elsewhere, closing a case asks once, a reply
reopens a solved case and a closed one says how to follow it up."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.support import (
    DESKTOP,
    PHONE,
    AppProcess,
    open_page,
    screenshot,
    sign_in_when_asked,
    type_into,
)

STORM = "Winter storm at Chicago O'Hare: cancellations and long delays"
SUBJECT = "Hotel after cancelled flight"
DESCRIPTION = "My ORD flight was cancelled overnight. Will you refund the hotel?"


def back(page: Page) -> None:
    """The app bar's Back (named twice while the mouse still shows its tooltip)."""
    page.get_by_role("button", name=re.compile(r"^Back( Back)?$")).click()
    page.mouse.move(0, 0)


def has_value(page: Page, label: str, text: str) -> None:
    field = page.get_by_label(label)
    field.click()
    expect(field).to_be_focused()
    expect(field).to_have_value(text)


def test_back_from_an_article_opened_from_an_incident_returns_to_the_incident(
    chromium: Browser, app: AppProcess
) -> None:
    page = open_page(chromium, f"{app.url}/", viewport=DESKTOP)
    expect(page.get_by_text(STORM)).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="See details").click()
    expect(page).to_have_url(re.compile(r"/status/inc_\w+$"))
    incident = page.url
    page.get_by_role("button", name="Read the winter weather waiver").click()
    expect(page).to_have_url(re.compile(r"/help/winter-weather-travel-waiver$"))
    expect(page.get_by_text("Was this article helpful?")).to_be_visible()
    back(page)
    expect(page).to_have_url(incident)
    expect(page.get_by_text("Affected services")).to_be_visible()
    # And from the incident, Back leads to Status, where it was opened.
    back(page)
    expect(page).to_have_url(f"{app.url}/")
    expect(page.get_by_role("button", name="See details")).to_be_visible()


def test_drafts_survive_and_a_case_is_closed_once_asked_and_followed_up(
    chromium: Browser, app: AppProcess
) -> None:
    page = open_page(chromium, f"{app.url}/cases/new", viewport=PHONE)
    sign_in_when_asked(page, app, "kim@example.com")
    expect(page).to_have_url(re.compile(r"/cases/new$"), timeout=15_000)
    type_into(page, "Subject", SUBJECT, delay=15)
    type_into(page, "Describe what happened", DESCRIPTION, delay=5)
    expect(page.get_by_text("These may answer your question")).to_be_visible()

    # A suggested article, and back: the words are still there.
    suggestion = page.get_by_role("button", name=re.compile("^Hotel and meal vouchers"))
    suggestion.click()
    expect(page).to_have_url(re.compile(r"/help/[\w-]+$"))
    back(page)
    expect(page).to_have_url(re.compile(r"/cases/new$"))
    has_value(page, "Subject", SUBJECT)
    has_value(page, "Describe what happened", DESCRIPTION)

    # Sent: the case takes the form's place, and Back does not lead to the form.
    page.get_by_role("button", name="Send case").click()
    expect(page).to_have_url(re.compile(r"/cases/[\w-]+$"), timeout=15_000)
    expect(page.get_by_text(re.compile(r"^Case #\d+$"))).to_be_visible(timeout=20_000)
    case_url = page.url
    number = page.get_by_text(re.compile(r"^Case #\d+$")).inner_text().split("#")[1]
    case_id = next(
        line.split()[0] for line in app.hub.cli("case", "list").splitlines() if SUBJECT in line
    )

    # A reply typed, the screen left and opened again: still there.
    type_into(page, "Write a reply", "The hotel was $140", delay=10)
    back(page)
    expect(page).to_have_url(re.compile(r"/cases$"))
    page.get_by_role("button", name=re.compile(f"^{SUBJECT}")).click()
    has_value(page, "Write a reply", "The hotel was $140")

    # Solved by the company; the customer's reply opens it again.
    app.hub.cli("case", "status", case_id, "solved")
    back(page)
    page.get_by_label("Refresh").click()
    page.get_by_role("button", name=re.compile(f"^{SUBJECT}")).click()
    expect(page.get_by_text(re.compile("^We think this is solved"))).to_be_visible(timeout=20_000)
    has_value(page, "Write a reply", "The hotel was $140")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Open", exact=True)).to_be_visible()
    expect(page.get_by_text("Sent", exact=True)).to_be_visible(timeout=20_000)
    assert json.loads(app.hub.cli("case", "show", case_id))["status"] == "open"

    # Closing asks once; "Keep it open" keeps it.
    close = page.get_by_role("button", name="Close case")
    expect(close).to_have_count(1)
    close.click()
    expect(page.get_by_text(re.compile("^Close this case?"))).to_be_visible()
    screenshot(page, "case-close-confirm-phone-light")
    page.get_by_role("button", name="Keep it open").click()
    expect(page.get_by_text(re.compile("^Close this case?"))).to_have_count(0)
    page.get_by_role("button", name="Close case").click()
    page.get_by_role("button", name="Close case").click()
    follow = page.get_by_text(re.compile("^This case is closed. Open a new case to follow up"))
    expect(follow).to_be_visible()
    expect(page.get_by_label("Write a reply")).to_have_count(0)
    screenshot(page, "case-closed-phone-light")
    page.get_by_role("button", name="Open a new case").click()
    expect(page).to_have_url(re.compile(rf"/cases/new\?follow_up={number}$"))
    has_value(page, "Subject", f"Follow-up to case #{number}: {SUBJECT}")
    back(page)
    expect(page).to_have_url(case_url)
