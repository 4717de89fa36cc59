"""The app hosted for many customers shows every time in each browser's time zone, not
the server's: two browsers in Tokyo and Paris see the same incident at their own local
times, and free callback times are offered in Tokyo's, while the server runs in Chicago."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from app.schemas import Availability, StatusSnapshot
from app.views.strings import clock, short_day, when
from tests.e2e.support import (
    PHONE,
    AppProcess,
    sign_in_when_asked,
    start_app,
    stop_app,
    with_semantics,
)
from tests.hub_process import RealHub

SERVER_ZONE = "America/Chicago"
TITLE = "Runway closure at Boston Logan"


@pytest.fixture
def chicago_app(
    hub: RealHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[AppProcess]:
    """The app server, run in Chicago's time zone (the browsers are elsewhere)."""
    monkeypatch.setenv("TZ", SERVER_ZONE)
    started = start_app(hub, tmp_path / "app", tmp_path / "app.log")
    yield started
    stop_app(started.process)


def page_in(chromium: Browser, url: str, zone: str) -> Page:
    """A new browser (a new device) whose clock is in `zone`."""
    context = chromium.new_context(viewport=PHONE, timezone_id=zone)
    page = context.new_page()
    page.goto(url)
    with_semantics(page)
    return page


def test_each_browser_sees_times_in_its_own_zone(
    chromium: Browser, chicago_app: AppProcess
) -> None:
    app = chicago_app
    app.hub.cli(
        "incident", "publish", "--title", TITLE, "--impact", "major",
        "--component", "flights-bos", "--body", "One runway is closed for snow.",
    )  # fmt: skip
    snapshot = StatusSnapshot.model_validate(httpx.get(f"{app.hub.url}/v1/status").json())
    [incident] = [i for i in snapshot.active_incidents if i.title == TITLE]
    shown = {
        zone: when("en", incident.updated_at, ZoneInfo(zone))
        for zone in ("Asia/Tokyo", "Europe/Paris", SERVER_ZONE)
    }
    assert len(set(shown.values())) == 3, shown

    for zone in ("Asia/Tokyo", "Europe/Paris"):
        page = page_in(chromium, app.url, zone)
        assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == zone
        expect(page.get_by_text(TITLE).first).to_be_visible(timeout=30_000)
        expect(page.get_by_text(re.compile(re.escape(shown[zone]))).first).to_be_visible()
        for other in set(shown) - {zone}:
            expect(page.get_by_text(re.compile(re.escape(shown[other])))).to_have_count(0)
        page.context.close()


def test_free_callback_times_are_offered_in_the_browser_zone(
    chromium: Browser, chicago_app: AppProcess
) -> None:
    app = chicago_app
    page = page_in(chromium, f"{app.url}/callbacks/new?queue=rebooking", "Asia/Tokyo")
    sign_in_when_asked(page, app, "kenji@example.com")
    expect(page.get_by_text("When should we call?")).to_be_visible(timeout=20_000)
    page.get_by_role("radio", name="Pick a time").click()
    expect(page.get_by_text("Times are in your time zone (Asia/Tokyo).")).to_be_visible()
    found = httpx.get(
        f"{app.hub.url}/v1/callbacks/availability", params={"queue": "rebooking", "limit": 1}
    )
    [first] = Availability.model_validate(found.json()).slots
    start = first.start.astimezone(ZoneInfo("Asia/Tokyo"))
    # The first day shown is the first free time's day in Tokyo, that time first.
    day = page.get_by_role("checkbox", name=short_day("en", start.date()), exact=True)
    expect(day).to_be_checked()
    times = page.get_by_role("checkbox", name=re.compile(r"^\d{1,2}:\d\d\s[AP]M$"))
    expect(times.first).to_have_attribute("aria-label", clock("en", start))
