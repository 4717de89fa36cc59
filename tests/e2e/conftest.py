"""End to end: a real hub process with the demo company, the app served in web mode in
another process, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.e2e.support import ARGS, CHROMIUM, AppProcess, browser_missing, start_app, stop_app
from tests.hub_process import RealHub
from tests.push_service import PushService


# Module scope: Playwright's sync API holds an event loop while it runs, which must be gone
# before the asyncio tests of other modules start.
@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    reason = browser_missing()
    if reason:
        if os.environ.get("CARELINE_REQUIRE_BROWSER"):
            pytest.fail(f"browser tests required but {reason}")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def app(hub: RealHub, tmp_path: Path) -> Iterator[AppProcess]:
    started = start_app(hub, tmp_path / "app", tmp_path / "app.log")
    yield started
    stop_app(started.process)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[PushService]:
    stand_in = PushService(tmp_path / "push")
    yield stand_in
    stand_in.close()
