"""A callback a customer can trust, in a real browser: every free time grouped by part of
the day with days moved by buttons, a booking reference refused in the wrong format and
kept, then 'Booked' with the weekday, the window and its zone, the number we call and the
number we call from, what happens if the call is missed, and a calendar file to save.
Also: a case about an incident starts with a subject of the customer's own, and the new
case form asks for the booking reference."""

from __future__ import annotations

import re
import sqlite3

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.e2e.settling import settled_click
from tests.e2e.support import (
    DESKTOP,
    PHONE,
    AppProcess,
    device_folder,
    device_key,
    open_page,
    screenshot,
    sign_in_when_asked,
    type_into,
    with_semantics,
)

SLOT = re.compile(r"^\d{1,2}:\d\d [AP]M$")
WEEKDAY = re.compile(r"^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \w+ \d+$")


def pick_a_later_time(page: Page) -> str:
    """Move the day row on, choose a day's first time; returns its label."""
    page.get_by_role("radio", name="Pick a time").click()
    later = page.get_by_role("button", name="Later days")
    expect(later).to_be_enabled(timeout=20_000)
    later.click()
    expect(page.get_by_role("button", name="Earlier days")).to_be_enabled()
    # A whole day's times, every one on the page, under the part of the day they are in.
    for part in ("Morning", "Afternoon", "Evening"):
        expect(page.get_by_text(part, exact=True)).to_be_visible()
    expect(page.get_by_role("checkbox", name=SLOT)).to_have_count(48)
    expect(page.get_by_role("checkbox", name="11:30 PM", exact=True)).to_be_visible()
    screenshot(page, "book-callback-picker-phone-light")
    slot_text = page.get_by_role("checkbox", name=SLOT).first.get_attribute("aria-label") or ""
    slot = page.get_by_role("checkbox", name=slot_text, exact=True)
    slot.click()
    chosen = page.get_by_role("checkbox", name=SLOT, checked=True)
    expect(chosen).to_have_count(1)
    screenshot(page, "book-callback-time-chosen-phone-light")
    return chosen.get_attribute("aria-label") or ""


def test_book_a_callback_and_trust_the_confirmation(chromium: Browser, app: AppProcess) -> None:
    page = open_page(chromium, f"{app.url}/callbacks/new?queue=rebooking", viewport=PHONE)
    sign_in_when_asked(page, app, "tess@example.com")
    expect(page.get_by_text("When should we call?")).to_be_visible(timeout=20_000)
    # The fields first, while the form is short; then the time.
    type_into(page, "Phone number", "(312) 555-0100")
    type_into(page, "Booking reference (optional)", "K7Q-2")
    slot_text = pick_a_later_time(page)
    settled_click(page, page.get_by_role("button", name="Request callback"))
    expect(page.get_by_text("Check the Booking reference: it looks like K7Q2XM.")).to_be_visible()
    expect(page.get_by_label("Booking reference (optional)")).to_have_value("K7Q-2")
    expect(page.get_by_label("Phone number")).to_have_value("(312) 555-0100")

    reference = page.get_by_label("Booking reference (optional)")
    settled_click(page, reference)
    expect(reference).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("K7Q2XM", delay=20)
    expect(reference).to_have_value("K7Q2XM")
    settled_click(page, page.get_by_role("button", name="Request callback"))
    expect(page).to_have_url(re.compile(r"/callbacks/[\w-]+$"), timeout=15_000)
    expect(page.get_by_text("Booked", exact=True)).to_be_visible()
    expect(page.get_by_text(WEEKDAY)).to_be_visible()
    window = page.get_by_text(re.compile(r"^We'll call between \d{1,2}:\d\d\s[AP]M and "))
    expect(window).to_have_text(re.compile(re.escape(slot_text) + r" and .+ [A-Z]{2,5}"))
    expect(page.get_by_text("We'll call +1 312-555-0100")).to_be_visible()
    expect(page.get_by_text("The call comes from +1 800-555-0100")).to_be_visible()
    expect(page.get_by_text(re.compile("^If you miss the call"))).to_be_visible()
    expect(page.get_by_text("Booking reference: K7Q2XM")).to_be_visible()
    expect(page.get_by_text("Waiting to be sent")).to_have_count(0, timeout=20_000)
    screenshot(page, "callback-confirmation-phone-light")

    with page.expect_download() as download:
        page.get_by_role("button", name="Add to calendar").click()
    saved = download.value
    assert saved.suggested_filename.endswith(".ics")
    text = saved.path().read_bytes().decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert re.search(r"\r\nDTSTART:\d{8}T\d{6}Z\r\n", text)
    assert "SUMMARY:Call from Northwind Air" in text

    [line] = [ln for ln in app.hub.cli("callback", "list").splitlines() if "+13125550100" in ln]
    assert "ref K7Q2XM" in line and "speaks en" in line, line

    page.set_viewport_size(DESKTOP)
    screenshot(page, "callback-confirmation-desktop-light")

    # The same confirmation in Spanish, dark, on a phone (a new window of this device).
    with sqlite3.connect(device_folder(app, page) / "careline.sqlite3") as store:
        store.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('pref:locale', 'es')")
    confirmation = page.url
    device = device_key(page)
    page.context.close()
    page = open_page(chromium, confirmation, viewport=PHONE, scheme="dark", device=device)
    expect(page.get_by_text("Reservada", exact=True)).to_be_visible(timeout=20_000)
    expect(page.get_by_text("La llamada vendrá del +1 800-555-0100")).to_be_visible()
    expect(page.get_by_role("button", name="Añadir al calendario")).to_be_visible()
    screenshot(page, "callback-confirmation-phone-dark-es")


def test_a_case_about_an_incident_and_its_booking_reference(
    chromium: Browser, app: AppProcess
) -> None:
    status = httpx.get(f"{app.hub.url}/v1/status").json()
    storm = status["active_incidents"][0]
    page = open_page(
        chromium, f"{app.url}/cases/new?incident={storm['id']}", viewport=PHONE, scheme="dark"
    )
    sign_in_when_asked(page, app, "ivy@example.com")
    expect(page.get_by_text(f"About: {storm['title']}")).to_be_visible(timeout=20_000)
    subject = page.get_by_label("Subject")
    expect(subject).to_have_value("")  # the customer's own, not the incident's title
    expect(page.get_by_label("Booking reference (optional)")).to_be_visible()
    screenshot(page, "new-case-booking-ref-phone-dark")
    type_into(page, "Subject", "NW 1234 on Friday")
    type_into(page, "Describe what happened", "Cancelled by the storm; please rebook me.")
    type_into(page, "Booking reference (optional)", "BAD")
    page.get_by_role("button", name="Send case").click()
    expect(page.get_by_text("Check the Booking reference: it looks like K7Q2XM.")).to_be_visible()
    expect(page.get_by_label("Subject")).to_have_value("NW 1234 on Friday")

    # In Spanish, on a desktop: the company's own name for the field.
    # (The device's language preference, as Account's Language menu keeps it.)
    with sqlite3.connect(device_folder(app, page) / "careline.sqlite3") as store:
        store.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('pref:locale', 'es')")
    device = device_key(page)
    page.context.close()
    page = open_page(
        chromium,
        f"{app.url}/cases/new?incident={storm['id']}",
        viewport=DESKTOP,
        scheme="dark",
        device=device,
    )
    expect(page.get_by_label("Código de reserva (opcional)")).to_be_visible(timeout=20_000)
    screenshot(page, "new-case-booking-ref-desktop-dark-es")
    page.goto(f"{app.url}/callbacks/new?queue=rebooking")
    with_semantics(page)
    page.get_by_role("radio", name="Elegir una hora").click()
    settled_click(page, page.get_by_role("button", name="Días siguientes"))
    expect(page.get_by_text("Mañana", exact=True)).to_be_visible(timeout=20_000)
    screenshot(page, "book-callback-picker-desktop-dark-es")
