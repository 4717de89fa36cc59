"""The Account screen in a real browser: sign in with the code the hub issued, see the
sync panel, sign out."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.e2e.support import (
    DESKTOP,
    PHONE,
    AppProcess,
    code_sent,
    open_page,
    screenshot,
    sign_in_code,
    type_into,
)


def test_sign_in_with_an_emailed_code_and_sign_out(chromium: Browser, app: AppProcess) -> None:
    page = open_page(chromium, f"{app.url}/account", viewport=PHONE)
    expect(page.get_by_text("Sign in to follow your cases and callbacks")).to_be_visible(
        timeout=30_000
    )
    screenshot(page, "account-phone-light")
    type_into(page, "Email address", "dana@example.com", delay=20)
    page.get_by_role("button", name="Send code").click()
    expect(page.get_by_text(code_sent("dana@example.com"))).to_be_visible()
    type_into(page, "Sign-in code", sign_in_code(app, "dana@example.com"), delay=20)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as dana@example.com")).to_be_visible(timeout=15_000)
    sync_card = page.get_by_role("group", name=re.compile("Everything is sent"))
    expect(sync_card).to_be_visible(timeout=15_000)
    screenshot(page, "account-signed-in-phone-light")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("Sign in to follow your cases and callbacks")).to_be_visible()


def test_account_on_desktop_dark(chromium: Browser, app: AppProcess) -> None:
    page = open_page(chromium, f"{app.url}/account", viewport=DESKTOP, scheme="dark")
    expect(page.get_by_role("button", name="Update now")).to_be_visible(timeout=30_000)
    screenshot(page, "account-desktop-dark")
