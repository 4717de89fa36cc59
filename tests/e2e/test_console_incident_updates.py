"""The console's Status screen in a real browser, after publishing: a status manager starts
an incident from a template (the form is filled from it), publishes it, posts an update
and then resolves it, and a customer's app window shows each step live."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.console_support import STATUS_MANAGER, console_running, shown, staff_sign_in
from tests.e2e.settling import settled_click
from tests.e2e.support import PHONE, AppProcess, open_page, screenshot, type_into

TEMPLATE = "IT outage"
TITLE = "Website, app and check-in systems are down"
UPDATE = "Check-in works again; the website follows within the hour."
RESOLUTION = "The website and the app work again."


def incident(page: Page) -> Locator:
    """Our incident's card on the Status screen (Flutter names a card by its texts)."""
    return page.get_by_role("group", name=re.compile(re.escape(TITLE))).last


def post(page: Page, body: str, button: str) -> None:
    settled_click(page, incident(page).get_by_role("button", name="Update or resolve"))
    type_into(page, "Message (English)", body)
    settled_click(page, page.get_by_role("button", name=button, exact=True))


def test_a_template_fills_the_form_and_updates_and_resolution_reach_the_app_live(
    chromium: Browser, app: AppProcess, tmp_path: Path
) -> None:
    customer = open_page(chromium, f"{app.url}/status", viewport=PHONE)
    expect(customer.get_by_text("Winter storm at Chicago O'Hare", exact=False).first).to_be_visible(
        timeout=30_000
    )
    with console_running(app.hub, tmp_path) as console:
        page = staff_sign_in(chromium, console, STATUS_MANAGER)
        settled_click(page, page.get_by_role("button", name="New incident"))
        settled_click(page, page.get_by_role("button", name=re.compile("^Start from a template")))
        settled_click(page, page.get_by_text(TEMPLATE, exact=True).last)
        # The template's text, impact and services are in the form: the preview (what
        # customers will be sent) says so before anything is typed.
        expect(page.get_by_role("checkbox", name="Website and app")).to_be_checked()
        settled_click(page, page.get_by_role("button", name="Preview alert"))
        expect(shown(page, f"[en] {TITLE}")).to_be_visible()
        spanish = page.get_by_label("Title (Spanish)")
        spanish.click()  # an input shows its text to the browser once it has the focus
        expect(spanish).to_have_value("El sitio web, la app y el check-in no funcionan")
        settled_click(page, page.get_by_role("button", name="Publish"))
        expect(shown(page, f"Published: {TITLE}")).to_be_visible()
        # The form stays open, empty, for the next incident: closed here.
        settled_click(page, page.get_by_role("button", name="Cancel"))
        expect(page.get_by_label("Title (English)")).to_have_count(0)
        expect(customer.get_by_text(TITLE).first).to_be_visible(timeout=15_000)

        post(page, UPDATE, "Post update")
        expect(shown(page, UPDATE)).to_be_visible()
        expect(customer.get_by_text(UPDATE, exact=False).first).to_be_visible(timeout=15_000)

        post(page, RESOLUTION, "Resolve")
        expect(shown(page, RESOLUTION)).to_have_count(0)  # gone from the active incidents
        screenshot(page, "console-incident-resolved-desktop")

    resolved = customer.get_by_role("button", name=re.compile(re.escape(TITLE)))
    expect(resolved.first).to_contain_text("Fixed", timeout=15_000)  # the app's word
    expect(customer.get_by_text("Recently resolved").first).to_be_visible()
    screenshot(customer, "console-incident-resolved-customer-phone")
