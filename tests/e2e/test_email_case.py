"""An emailed case in a real browser: a question mailed to the hub's own SMTP listener
shows up in the app once the customer signs in with that address, and a reply by mail
joins its thread; both the description and the reply are marked "by email"."""

from __future__ import annotations

import re
import smtplib
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.backend.mail_support import SUPPORT, listening_hub, mail
from tests.e2e.support import (
    DESKTOP,
    AppProcess,
    open_page,
    screenshot,
    sign_in_when_asked,
    start_app,
    stop_app,
)

PAT = "pat@example.com"


@pytest.fixture
def mail_app(tmp_path: Path) -> Iterator[tuple[AppProcess, int]]:
    hub, listen = listening_hub(tmp_path / "hub")
    hub.start()
    started = start_app(hub, tmp_path / "app", tmp_path / "app.log")
    yield started, listen
    stop_app(started.process)
    hub.stop()


def _send(port: int, message: EmailMessage) -> None:
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        smtp.send_message(message, to_addrs=[SUPPORT])


def test_an_emailed_case_shows_in_the_app_after_sign_in(
    chromium: Browser, mail_app: tuple[AppProcess, int]
) -> None:
    app, listen = mail_app
    _send(listen, mail(PAT, "Stroller left at gate B7", "Left at B7 this morning."))
    page = open_page(chromium, f"{app.url}/cases/new", viewport=DESKTOP)
    prompt = page.get_by_role("group", name=re.compile("^Sign in to open a case"))
    expect(prompt).to_be_visible(timeout=30_000)
    sign_in_when_asked(page, app, PAT)
    expect(page).to_have_url(re.compile(r"/cases/new$"), timeout=15_000)
    page.get_by_role("button", name="Back", exact=True).click()
    tile = page.get_by_role("button", name=re.compile("Stroller left at gate B7"))
    expect(tile).to_be_visible(timeout=20_000)
    answer = mail(PAT, "Re: Stroller", "It is a blue one.", message_id="q2@example.com")
    answer["In-Reply-To"] = "<q1@example.com>"
    _send(listen, answer)
    page.get_by_label("Refresh").click()
    tile.click()
    expect(page.get_by_text("Left at B7 this morning.")).to_be_visible(timeout=20_000)
    expect(page.get_by_text("It is a blue one.")).to_be_visible(timeout=20_000)
    # The description and the mailed reply were both written by email.
    expect(page.get_by_text("by email", exact=True)).to_have_count(2)
    screenshot(page, "emailed-case-thread-desktop-light")
