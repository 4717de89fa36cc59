"""The app hosted for many customers, in real browsers: each browser is a device of its
own, kept apart from every other, and the hub token stays on the server."""

from __future__ import annotations

import re
import sqlite3

from playwright.sync_api import Browser, expect

from tests.e2e.support import (
    DESKTOP,
    PHONE,
    AppProcess,
    device_folder,
    device_key,
    open_page,
    sign_in_when_asked,
    type_into,
    with_semantics,
)

SUBJECT = "Ana's red suitcase"


def test_two_browsers_are_two_customers_who_never_see_each_other(
    chromium: Browser, app: AppProcess
) -> None:
    ana = open_page(chromium, f"{app.url}/cases/new", viewport=DESKTOP)
    expect(ana.get_by_role("group", name=re.compile("^Sign in to open a case"))).to_be_visible(
        timeout=30_000
    )
    sign_in_when_asked(ana, app, "ana@example.com")
    expect(ana).to_have_url(re.compile(r"/cases/new$"), timeout=15_000)
    type_into(ana, "Subject", SUBJECT, delay=15)
    type_into(ana, "Describe what happened", "Red, with a green ribbon.", delay=5)
    ana.get_by_role("button", name="Send case").click()
    expect(ana.get_by_text(re.compile(r"^Case #\d+$"))).to_be_visible(timeout=20_000)

    # Another browser: nothing of Ana's anywhere, and asked to sign in.
    ben = open_page(chromium, f"{app.url}/account", viewport=PHONE)
    expect(ben.get_by_text("Sign in to follow your cases and callbacks")).to_be_visible(
        timeout=30_000
    )
    expect(ben.get_by_label("Email address")).to_have_value("")
    expect(ben.get_by_role("group", name=re.compile("Everything is sent"))).to_be_visible()
    for section, prompt in (
        ("Cases", "^Sign in to open a case"),
        ("Callbacks", "^Sign in to book"),
    ):
        ben.get_by_role("button", name=section).click()
        expect(ben.get_by_role("group", name=re.compile(prompt))).to_be_visible()
    expect(ben.get_by_text(SUBJECT)).to_have_count(0)
    expect(ben.get_by_text("ana@example.com")).to_have_count(0)
    expect(ben.get_by_role("button", name="Dismiss")).to_have_count(0)  # no notice of hers

    # A reload, or a new visit, is the same device: still signed in, the case still there.
    ana.reload()
    with_semantics(ana)
    expect(ana.get_by_text(SUBJECT).first).to_be_visible(timeout=30_000)
    ana.goto(f"{app.url}/account")
    with_semantics(ana)
    expect(ana.get_by_text("Signed in as ana@example.com")).to_be_visible(timeout=30_000)

    # A browser with empty storage (a private window) is a new device.
    private = open_page(chromium, f"{app.url}/account", viewport=PHONE)
    expect(private.get_by_text("Sign in to follow your cases and callbacks")).to_be_visible(
        timeout=30_000
    )
    keys = [device_key(page) for page in (ana, ben, private)]
    assert len(set(keys)) == 3 and all(re.fullmatch(r"[0-9a-f]{32}\.[\w-]{43}", k) for k in keys)

    # The hub token is on the server, in Ana's device store, and never in her browser.
    with sqlite3.connect(device_folder(app, ana) / "careline.sqlite3") as store:
        [(token,)] = store.execute("SELECT value FROM meta WHERE key = 'token'").fetchall()
    held = ana.evaluate("JSON.stringify(localStorage) + JSON.stringify(sessionStorage)")
    assert token not in held and token not in ana.url
    assert all(token not in cookie["value"] for cookie in ana.context.cookies())
