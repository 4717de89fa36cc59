"""A case in a real browser: sign in, open a case with an attachment while help articles
are suggested, and see the reply an agent sends from the operator CLI."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.support import (
    DESKTOP,
    AppProcess,
    open_page,
    screenshot,
    sign_in_when_asked,
    type_into,
)
from tests.support import png_bytes


def test_open_a_case_with_an_attachment_and_read_the_reply(
    chromium: Browser, app: AppProcess, tmp_path: Path
) -> None:
    receipt = tmp_path / "hotel-receipt.png"
    receipt.write_bytes(png_bytes())
    not_a_pdf = tmp_path / "boarding-pass.pdf"
    not_a_pdf.write_bytes(b"just text")

    page = open_page(chromium, f"{app.url}/cases/new", viewport=DESKTOP)
    prompt = page.get_by_role("group", name=re.compile("^Sign in to open a case"))
    expect(prompt).to_be_visible(timeout=30_000)
    sign_in_when_asked(page, app, "lee@example.com")
    expect(page).to_have_url(re.compile(r"/cases/new$"), timeout=15_000)

    type_into(page, "Subject", "Hotel after cancelled flight", delay=15)
    type_into(
        page,
        "Describe what happened",
        "My ORD flight was cancelled overnight. Will you refund the hotel?",
        delay=5,
    )
    expect(page.get_by_text("These may answer your question")).to_be_visible()
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Attach files").click()
    chooser.value.set_files([receipt, not_a_pdf])
    expect(page.get_by_text("hotel-receipt.png")).to_be_visible()
    expect(
        page.get_by_text("boarding-pass.pdf is not the kind of file its name says.")
    ).to_be_visible()
    screenshot(page, "new-case-desktop-light")

    page.get_by_role("button", name="Send case").click()
    expect(page).to_have_url(re.compile(r"/cases/[\w-]+$"), timeout=15_000)
    expect(page.get_by_text(re.compile(r"^Case #\d+$"))).to_be_visible(timeout=20_000)
    case_line = next(
        line
        for line in app.hub.cli("case", "list").splitlines()
        if "Hotel after cancelled flight" in line
    )
    case_id = case_line.split()[0]
    assert '"filename": "hotel-receipt.png"' in app.hub.cli("case", "show", case_id)

    app.hub.cli("case", "reply", case_id, "--body", "We will refund up to $150 for the hotel.")
    page.get_by_role("button", name="Back", exact=True).click()
    page.get_by_label("Refresh").click()
    tile = page.get_by_role("button", name=re.compile("Hotel after cancelled flight.*1 new"))
    expect(tile).to_be_visible(timeout=20_000)
    screenshot(page, "cases-unread-desktop-light")
    tile.click()
    expect(page.get_by_text("We will refund up to $150 for the hotel.").first).to_be_visible()
    screenshot(page, "case-thread-desktop-light")
    # The live notice of that reply is not shown over the thread that shows the reply
    # (had it not arrived yet, a moment more lets it: it must stay away then too).
    page.wait_for_timeout(1_000)
    expect(page.get_by_role("button", name="Dismiss")).to_have_count(0)

    type_into(page, "Write a reply", "Thank you! Receipt attached above.", delay=10)
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Thank you! Receipt attached above.")).to_be_visible()
    expect(page.get_by_label("Write a reply")).to_have_value("")
    expect(page.get_by_text("Sent", exact=True)).to_be_visible(timeout=20_000)
    assert "Thank you! Receipt attached above." in app.hub.cli("case", "show", case_id)
