"""Offline in a real browser: with the hub stopped, a case and a callback request are
saved on the device and marked as waiting; once the hub is back, both arrive exactly
once and the app shows them as sent."""

from __future__ import annotations

import contextlib
import re

from playwright.sync_api import Browser, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.support import (
    PHONE,
    AppProcess,
    open_page,
    screenshot,
    sign_in_when_asked,
    type_into,
)

SUBJECT = "Stroller left at gate B6"


def test_a_case_and_a_callback_made_offline_arrive_once(chromium: Browser, app: AppProcess) -> None:
    page = open_page(chromium, f"{app.url}/cases", viewport=PHONE)
    prompt = page.get_by_role("group", name=re.compile("^Sign in to open a case"))
    expect(prompt).to_be_visible(timeout=30_000)
    sign_in_when_asked(page, app, "kim@example.com")
    expect(page.get_by_role("button", name="New case")).to_be_visible(timeout=15_000)

    app.hub.stop()
    page.get_by_label("Refresh").click()
    expect(page.get_by_text(re.compile("^You're offline"))).to_be_visible(timeout=20_000)

    page.get_by_role("button", name="New case").click()
    type_into(page, "Subject", SUBJECT, delay=15)
    type_into(
        page, "Describe what happened", "Black stroller, tagged NW4411. Please hold it.", delay=5
    )
    page.get_by_role("button", name="Send case").click()
    expect(page).to_have_url(re.compile(r"/cases/[\w-]+$"), timeout=15_000)
    expect(page.get_by_text("Waiting to be sent")).to_be_visible()
    screenshot(page, "case-offline-phone-light")

    page.goto(f"{app.url}/callbacks/new")
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=30_000)
    page.evaluate("document.querySelector('flt-semantics-placeholder').click()")
    expect(page.get_by_text(re.compile("^You're offline"))).to_be_visible(timeout=30_000)
    page.get_by_role("radio", name="Pick a time").click()
    expect(page.get_by_text(re.compile("can't be checked while you're offline"))).to_be_visible()
    page.get_by_role("radio", name="As soon as possible").click()
    type_into(page, "Phone number", "312 555 0142", delay=20)
    page.get_by_role("button", name="Request callback").click()
    expect(page).to_have_url(re.compile(r"/callbacks/[\w-]+$"), timeout=15_000)
    expect(page.get_by_text("Waiting to be sent")).to_be_visible()
    expect(page.get_by_text(re.compile("saved on this device"))).to_be_visible()
    screenshot(page, "callback-offline-phone-light")

    app.hub.start()
    page.get_by_role("button", name="Back", exact=True).click()
    expect(page.get_by_role("button", name="Book a callback")).to_be_visible()
    # The app retries by itself too, and may find the hub before the customer taps.
    retry = page.get_by_role("button", name="Try again")
    with contextlib.suppress(PlaywrightTimeout):
        retry.click(timeout=3_000)
    expect(page.get_by_text(re.compile("^You're offline"))).to_have_count(0, timeout=30_000)
    expect(page.get_by_text("Waiting to be sent")).to_have_count(0, timeout=30_000)
    expect(page.get_by_text("Requested")).to_be_visible()
    page.get_by_role("button", name="Cases").click()
    expect(page.get_by_role("button", name=re.compile(f"^{SUBJECT}.*Case #\\d+"))).to_be_visible()
    expect(page.get_by_text("Waiting to be sent")).to_have_count(0)

    cases = [line for line in app.hub.cli("case", "list").splitlines() if SUBJECT in line]
    callbacks = [
        line for line in app.hub.cli("callback", "list").splitlines() if "+13125550142" in line
    ]
    assert len(cases) == 1, cases
    assert len(callbacks) == 1, callbacks
