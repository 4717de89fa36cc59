"""The storm console in a real browser: a status manager signs in, writes an incident in
English and Spanish, sees who it will alert, publishes it, and a customer's app shows it
live."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.console_support import STATUS_MANAGER, console_running, shown, staff_sign_in
from tests.e2e.settling import settled_click
from tests.e2e.support import PHONE, AppProcess, open_page, screenshot, type_into

TITLE = "De-icing delays at Boston Logan"


def test_a_status_manager_publishes_an_incident_the_app_shows_live(
    chromium: Browser, app: AppProcess, tmp_path: Path
) -> None:
    customer = open_page(chromium, f"{app.url}/status", viewport=PHONE)
    expect(customer.get_by_text("Winter storm at Chicago O'Hare", exact=False).first).to_be_visible(
        timeout=30_000
    )
    with console_running(app.hub, tmp_path) as console:
        page = staff_sign_in(chromium, console, STATUS_MANAGER)
        expect(page.get_by_text("Status manager", exact=False)).to_be_visible()
        # A status manager's rail has Status and nothing of an agent's.
        expect(page.get_by_role("button", name=re.compile("^Status Tab"))).to_be_visible()
        expect(page.get_by_role("button", name=re.compile("^Cases Tab"))).to_have_count(0)
        settled_click(page, page.get_by_role("button", name="New incident"))
        type_into(page, "Title (English)", TITLE)
        type_into(page, "Title (Spanish)", "Retrasos por deshielo en Boston Logan")
        type_into(page, "Message (English)", "De-icing adds 30 minutes to departures.")
        type_into(page, "Message (Spanish)", "El deshielo añade 30 minutos a las salidas.")
        settled_click(page, page.get_by_role("checkbox", name="Flights at Boston Logan (BOS)"))
        # Ctrl+Enter sends the form: first the preview (then Publish).
        page.get_by_label("Title (English)").click()
        page.keyboard.press("Control+Enter")
        expect(shown(page, "customers will be alerted")).to_be_visible()
        screenshot(page, "console-incident-preview-desktop")
        settled_click(page, page.get_by_role("button", name="Publish"))
        expect(shown(page, f"Published: {TITLE}")).to_be_visible()

    expect(customer.get_by_text(TITLE).first).to_be_visible(timeout=15_000)
