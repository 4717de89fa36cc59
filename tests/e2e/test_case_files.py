"""A case's files in a real browser: an agent replies from the operator CLI with a file,
the customer opens the case in the served app and taps the file, and the browser
downloads exactly the bytes the agent attached (through the app server, which holds the
device's hub token; the browser never sees it)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.support import (
    DESKTOP,
    AppProcess,
    case_from_another_device,
    open_page,
    screenshot,
    sign_in_when_asked,
)

REBOOKING = b"%PDF-1.4\n% Northwind rebooking: NW 12, seat 14C\n%%EOF\n"


def test_the_customer_downloads_the_agents_file(
    chromium: Browser, app: AppProcess, tmp_path: Path
) -> None:
    email = "files@example.com"
    case = case_from_another_device(app, email, "Rebook me", "My flight was cancelled.")
    ticket = tmp_path / "rebooking.pdf"
    ticket.write_bytes(REBOOKING)
    answer = app.hub.cli(
        "case",
        "reply",
        case["id"],
        "--body",
        "Your new ticket is attached.",
        "--attach",
        str(ticket),
    )
    assert "with 1 file(s)" in answer, answer

    page = open_page(chromium, f"{app.url}/cases/new", viewport=DESKTOP)
    prompt = page.get_by_role("group", name=re.compile("^Sign in to open a case"))
    expect(prompt).to_be_visible(timeout=30_000)
    sign_in_when_asked(page, app, email)
    expect(page).to_have_url(re.compile(r"/cases/new$"), timeout=15_000)
    page.get_by_role("button", name="Back", exact=True).click()
    expect(page).to_have_url(re.compile(r"/cases$"), timeout=15_000)
    page.get_by_label("Refresh").click()
    tile = page.get_by_role("button", name=re.compile("Rebook me"))
    expect(tile).to_be_visible(timeout=20_000)
    tile.click()
    expect(page.get_by_text("Your new ticket is attached.")).to_be_visible(timeout=15_000)
    file_button = page.get_by_role("button", name=re.compile("rebooking.pdf"))
    expect(file_button).to_be_visible()
    screenshot(page, "case-thread-agent-file-desktop-light")

    with page.expect_download(timeout=20_000) as download:
        file_button.click()
    saved = download.value
    assert saved.suggested_filename == "rebooking.pdf"
    assert Path(saved.path()).read_bytes() == REBOOKING
    # The app is still there after the download.
    expect(page.get_by_text("Your new ticket is attached.")).to_be_visible()
