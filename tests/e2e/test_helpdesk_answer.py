"""In a real browser: a case opened in the app is answered by an agent working in the
company's real django-helpdesk, and the answer shows in the app's thread."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.backend.helpdesk.helpdesk_peer import (
    HelpdeskPeer,
    agent_follow_up,
    hub_feeding_helpdesk,
    tickets,
)
from tests.e2e.support import (
    DESKTOP,
    AppProcess,
    open_page,
    screenshot,
    sign_in_when_asked,
    start_app,
    stop_app,
    type_into,
)


@pytest.fixture
def app_and_helpdesk(tmp_path: Path) -> Iterator[tuple[AppProcess, HelpdeskPeer]]:
    with hub_feeding_helpdesk(tmp_path, demo=True) as (hub, peer):
        app = start_app(hub, tmp_path / "app", tmp_path / "app.log")
        try:
            yield app, peer
        finally:
            stop_app(app.process)


def _ticket_about(peer: HelpdeskPeer, subject: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        found = [t for t in tickets(peer) if t["title"] == subject]
        if found:
            return found[0]
        assert time.monotonic() < deadline, "no ticket in the helpdesk"
        time.sleep(0.3)


def test_a_case_from_the_app_is_answered_in_django_helpdesk(
    chromium: Browser, app_and_helpdesk: tuple[AppProcess, HelpdeskPeer]
) -> None:
    app, peer = app_and_helpdesk
    page = open_page(chromium, f"{app.url}/cases/new", viewport=DESKTOP)
    prompt = page.get_by_role("group", name=re.compile("^Sign in to open a case"))
    expect(prompt).to_be_visible(timeout=30_000)
    sign_in_when_asked(page, app, "lee@example.com")
    expect(page).to_have_url(re.compile(r"/cases/new$"), timeout=15_000)
    type_into(page, "Subject", "Stroller left at gate B4", delay=15)
    type_into(page, "Describe what happened", "A blue stroller, left at B4 this morning.")
    page.get_by_role("button", name="Send case").click()
    expect(page.get_by_text(re.compile(r"^Case #\d+$"))).to_be_visible(timeout=20_000)

    ticket = _ticket_about(peer, "Stroller left at gate B4")
    assert ticket["submitter_email"] == "lee@example.com"
    agent_follow_up(peer, ticket["id"], "Internal: ask gate B4 staff.", public=False)
    agent_follow_up(peer, ticket["id"], "The gate team has your stroller at desk 3.")

    answer = page.get_by_text("The gate team has your stroller at desk 3.").first
    expect(answer).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Internal: ask gate B4 staff.")).to_have_count(0)
    # The case on screen shows its own answer: no live-update banner over it (a moment
    # more lets a late notice arrive: it must stay away then too).
    page.wait_for_timeout(1_000)
    expect(page.get_by_role("button", name="Dismiss")).to_have_count(0)
    screenshot(page, "case-answered-from-helpdesk-desktop-light")
