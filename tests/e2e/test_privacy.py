"""Privacy in a real browser: download everything held about you, then erase the
account; the hub keeps the case without the person, the device forgets them."""

from __future__ import annotations

import json
import re
import sqlite3

from playwright.sync_api import Browser, expect

from tests.e2e.support import (
    DESKTOP,
    AppProcess,
    case_from_another_device,
    device_folder,
    open_page,
    screenshot,
    sign_in_when_asked,
)

EMAIL = "noor@example.com"


def test_download_my_data_then_erase_my_account(chromium: Browser, app: AppProcess) -> None:
    page = open_page(chromium, f"{app.url}/cases", viewport=DESKTOP)
    expect(page.get_by_role("group", name=re.compile("^Sign in to open a case"))).to_be_visible(
        timeout=30_000
    )
    sign_in_when_asked(page, app, EMAIL)
    expect(page.get_by_role("button", name="New case")).to_be_visible(timeout=15_000)
    case_id = case_from_another_device(
        app, EMAIL, "Refund for NW12 to Noor Haddad", "Card ending 4242"
    )["id"]
    page.get_by_label("Refresh").click()
    expect(page.get_by_role("button", name=re.compile("^Refund for NW12"))).to_be_visible()

    page.get_by_role("button", name="Account").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data").click()
    assert download.value.suggested_filename == "careline-my-data.json"
    exported = json.loads(download.value.path().read_text())
    assert exported["customer"]["email"] == EMAIL
    assert [c["subject"] for c in exported["cases"]] == ["Refund for NW12 to Noor Haddad"]

    page.get_by_role("button", name="Erase my account").click()
    erase = page.get_by_role("button", name="Erase everything")
    expect(erase).to_be_visible()
    screenshot(page, "erase-account-desktop-light")
    erase.click()
    expect(page.get_by_text(re.compile("^Your account was erased"))).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Sign in to follow your cases and callbacks")).to_be_visible()

    shown = app.hub.cli("case", "show", case_id)
    assert "Noor" not in shown and "4242" not in shown and EMAIL not in shown
    # The app server kept this browser's data in a file of its own: nothing of it is left.
    folder = device_folder(app, page)
    with sqlite3.connect(folder / "careline.sqlite3") as local:
        assert local.execute("SELECT count(*) FROM cases").fetchone() == (0,)
        kept = [row[0] for row in local.execute("SELECT key FROM meta")]
    assert "token" not in kept and "customer" not in kept
    for path in folder.iterdir():
        assert (
            b"Refund for NW12" not in path.read_bytes() and EMAIL.encode() not in path.read_bytes()
        )
