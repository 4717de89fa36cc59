"""The app as an installable web app in real Chromium: its manifest (the company's name,
icons, standalone) passes Chromium's own installability check; with the app server
gone, the app still opens on the last status and the articles this browser read, and
comes back by itself when the server answers; Account says what this device can do."""

from __future__ import annotations

import re
import struct
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.support import (
    ARGS,
    CHROMIUM,
    COMPANY,
    DESKTOP,
    AppProcess,
    screenshot,
    start_app,
    stop_app,
    with_semantics,
)

ARTICLE = "winter-weather-travel-waiver"
ARTICLE_TITLE = "Winter weather travel waiver"
STORM = re.compile("^Winter storm at Chicago O'Hare")


@pytest.fixture
def installed(chromium: Browser, tmp_path: Path) -> Iterator[BrowserContext]:
    """A browser with a profile of its own (Chromium installs nothing from a private one)."""
    context = chromium.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, args=ARGS, viewport=DESKTOP
    )
    yield context
    context.close()


def visit(context: BrowserContext, url: str) -> Page:
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(url)
    with_semantics(page)
    return page


def until(page: Page, script: str, arg: object = None, seconds: float = 30) -> None:
    """Until `script` (which may answer with a promise) gives a true value."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script, arg):
        assert time.monotonic() < deadline, f"not true in {seconds} s: {script}"
        page.wait_for_timeout(200)


def worker_ready(page: Page) -> None:
    until(page, "navigator.serviceWorker.getRegistration().then(r => !!(r && r.active))")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_chromium_finds_the_app_installable(installed: BrowserContext, app: AppProcess) -> None:
    page = visit(installed, f"{app.url}/status")
    expect(page.get_by_text(STORM).first).to_be_visible(timeout=30_000)
    worker_ready(page)
    cdp = installed.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    found: dict[str, Any] = cdp.send("Page.getAppManifest")
    assert found["errors"] == []
    manifest = httpx.get(found["url"]).json()
    assert (manifest["name"], manifest["short_name"]) == (COMPANY, COMPANY)
    assert (manifest["display"], manifest["start_url"]) == ("standalone", "/status")
    assert manifest["theme_color"] == "#3F51B5"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        side = int(icon["sizes"].split("x")[0])
        assert png_size(httpx.get(f"{app.url}/{icon['src']}").content) == (side, side)


def test_offline_it_opens_on_what_it_last_knew_and_comes_back_by_itself(
    installed: BrowserContext, app: AppProcess, tmp_path: Path
) -> None:
    page = visit(installed, f"{app.url}/help/{ARTICLE}")
    expect(page.get_by_text("Was this article helpful?")).to_be_visible(timeout=30_000)
    worker_ready(page)
    # The page keeps its offline copy (with the article just read) in the browser's cache.
    until(
        page,
        """title => caches.open('careline-offline')
            .then(c => c.match(new URL('careline/offline.json', document.baseURI).href))
            .then(r => r ? r.json() : {articles: []})
            .then(copy => copy.articles.some(a => a.title === title))""",
        ARTICLE_TITLE,
    )
    port = int(app.url.rsplit(":", 1)[1])
    stop_app(app.process)  # the network is down: the app server cannot be reached

    page.goto(f"{app.url}/status")
    expect(page.get_by_role("heading", name="You're offline")).to_be_visible()
    expect(page.get_by_text(STORM)).to_be_visible()
    expect(page.get_by_text("Severe disruption · We're watching it")).to_be_visible()
    expect(page.get_by_text("Flights at Chicago O'Hare (ORD): Serious problems")).to_be_visible()
    expect(page.get_by_role("heading", name=ARTICLE_TITLE)).to_be_visible()
    expect(page.get_by_text(re.compile("^Last updated: "))).to_be_visible()
    expect(page.get_by_text(re.compile("need a connection"))).to_be_visible()
    screenshot(page, "offline-page-desktop-light")

    back = start_app(app.hub, app.data_dir, tmp_path / "app-again.log", port=port)
    try:
        page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=30_000)
        with_semantics(page)
        expect(page.get_by_role("button", name="Status")).to_be_visible(timeout=30_000)
        expect(page.get_by_role("heading", name="You're offline")).to_have_count(0)
    finally:
        stop_app(back.process)


def test_account_says_what_this_browser_can_do(chromium: Browser, app: AppProcess) -> None:
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{app.url}/account")
    with_semantics(page)
    expect(page.get_by_text("This device", exact=True)).to_be_visible(timeout=30_000)
    expect(
        page.get_by_text(re.compile("^You can install Careline from your browser"))
    ).to_be_visible()
    context.close()
