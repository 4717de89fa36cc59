"""Tapping where a control really is on a page that just scrolled or grew."""

from __future__ import annotations

from playwright.sync_api import Error, Locator, Page, TimeoutError


def settle(page: Page) -> None:
    """Wait until two frames are the same: Flutter has moved what a scroll moved (its
    accessibility tree follows a frame later, and a tap aimed at a stale place lands on
    whatever is there now)."""
    previous, stalled = b"", 0
    for _ in range(40):
        try:
            frame = page.screenshot(timeout=10_000)
        except TimeoutError:
            # A renderer that stalls for a moment on a busy machine: wait, and look again
            # (three times at most; then the page is taken as it is).
            stalled += 1
            if stalled == 3:
                return
            page.wait_for_timeout(1_000)
            continue
        if frame == previous:
            return
        previous = frame
        page.wait_for_timeout(100)


def settled_click(page: Page, target: Locator) -> None:
    # Flutter may draw the control anew while Playwright scrolls to it ("not attached to
    # the DOM"): once the page is still, the locator finds the new one.
    for attempt in range(3):
        try:
            target.scroll_into_view_if_needed()
            break
        except Error:
            if attempt == 2:
                raise
            settle(page)
    settle(page)
    target.click()
