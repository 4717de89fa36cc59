"""Screenshots of every console screen (sign-in; Status with the new-incident form and
Cases with a thread, as the admin sees them; Callbacks, Knowledge with the article editor
and Charts, as a supervisor sees them) at 1280x800, 1024x768 and 768x1024 (a tablet held
upright), light and dark, into test-artifacts/screenshots/console-*. Charts opens on
the contact forecast, and another queue's forecast is one choice away. One signed-in page:
the size and the colour scheme change in place (Flutter follows both), so it signs in once.
On each screen its icon-only buttons and its menus have names a screen reader says."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.e2e.console_support import console_running, staff_sign_in
from tests.e2e.settling import settled_click
from tests.e2e.supervisor_data import SUPERVISOR, go_to, saved, seed
from tests.e2e.support import DESKTOP, open_page, screenshot, type_into
from tests.hub_process import RealHub
from tests.support import bearer, mutation

ADMIN = "admin@northwind.example"
CHICAGO = ZoneInfo("America/Chicago")  # the rebooking queue's zone
TABLET_BREAK = 900  # narrower, the console puts a list above its detail (`ConsoleUi.narrow`)

# The tablet first: each screen is left at 1024x768, where the steps after it were written.
SIZES: list[ViewportSize] = [
    {"width": 768, "height": 1024},  # a tablet held upright
    {"width": 1280, "height": 800},
    {"width": 1024, "height": 768},
]
# Each screen: its rail label, a text that shows once its data has loaded, and the names
# of its controls that show no text of their own (icon-only buttons, menus).
SCREENS = [
    ("Callbacks", "callbacks", "Save staffing", ["Refresh", "Queue", "Language"]),
    ("Knowledge", "knowledge", "Searches that found nothing", ["Refresh"]),
    # The contact forecast comes first, in the first queue's zone once it has loaded.
    ("Charts", "charts", "Times in America/Chicago", ["Refresh", "Queue"]),
]


def named(page: Page, names: list[str]) -> None:
    """Each of `names` is a button's accessible name on the page, exactly."""
    for name in names:
        expect(page.get_by_role("button", name=name, exact=True).first).to_be_visible()


def shoot(page: Page, name: str, laid_out: Callable[[Page, int], None] | None = None) -> None:
    """Every size, light and dark. The console lays a screen out anew for a new width once
    its server has heard of it: `laid_out(page, width)` waits for that where it shows."""
    for size in SIZES:
        page.set_viewport_size(size)
        if laid_out is not None:
            laid_out(page, size["width"])
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            screenshot(page, f"console-{name}-{size['width']}-{scheme}")
    page.emulate_media(color_scheme="light")


def inbox_above_case(page: Page, width: int) -> None:
    """On a tablet held upright the inbox is above the open case, else beside it."""
    inbox = page.get_by_role("button", name=re.compile("Rebooked twice")).first
    case = page.get_by_role("button", name="Case status", exact=True)

    def above() -> bool:
        row, menu = inbox.bounding_box(), case.bounding_box()
        return row is not None and menu is not None and menu["y"] > row["y"] + row["height"]

    for _ in range(100):
        if above() == (width < TABLET_BREAK):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the inbox is not laid out for {width} px")


def test_every_supervisor_screen_light_and_dark(
    hub: RealHub, chromium: Browser, tmp_path: Path
) -> None:
    seed(hub)
    # Nobody on the rebooking line for an hour from two hours on: the forecast says so.
    short = (datetime.now(CHICAGO) + timedelta(hours=2)).replace(minute=0, second=0)
    to = f"{short.hour + 1:02d}:00" if short.hour < 23 else "23:30"
    at = ("--date", short.date().isoformat(), "--from", f"{short:%H}:00", "--to", to)
    hub.cli("queue", "staffing", "rebooking", *at, "--agents", "0")
    with console_running(hub, tmp_path) as console:
        page = staff_sign_in(chromium, console, SUPERVISOR)
        for label, name, loaded, names in SCREENS:
            go_to(page, label)
            # A chart's card is one group (Flutter merges its texts into the group's name).
            card = page.get_by_role("group", name=loaded)  # a part of the name, any case
            expect(page.get_by_text(loaded).or_(card).first).to_be_visible(timeout=30_000)
            named(page, names)
            shoot(page, name)
        # Charts is open: the short hour is listed, then the other queue, in its own zone.
        gap = re.compile(f"{short:%a %H}:00–[0-9:]+ short by")
        expect(page.get_by_role("group", name=gap).first).to_be_visible()
        settled_click(page, page.get_by_role("button", name="Queue", exact=True))
        settled_click(page, page.get_by_text("Bookings, baggage and general help").last)
        other = "times are in its own zone, America/New_York"
        expect(page.get_by_role("group", name=other).first).to_be_visible(timeout=30_000)
        go_to(page, "Knowledge")
        page.get_by_role("button", name="Write an article").first.click()
        expect(page.get_by_role("button", name="Save article")).to_be_visible()
        named(page, ["Close the editor", "Language"])
        shoot(page, "article-editor")
        # The draft starts from the search (its title and address): fill in the rest, save.
        type_into(page, "Category", "baggage")
        type_into(page, "Text (Markdown)", "Pets travel in the cabin in a soft carrier.")
        page.get_by_role("button", name="Save article").click()
        expect(saved(page)).to_be_visible(timeout=30_000)
        assert httpx.get(f"{hub.url}/v1/kb/articles/pet-in-cabin").json()["title"] == "pet in cabin"
        page.context.close()


def test_sign_in_status_and_cases_light_and_dark(
    hub: RealHub, chromium: Browser, tmp_path: Path
) -> None:
    token = hub.sign_in("lena@example.com")["token"]
    opened = mutation(
        "case.open", subject="Rebooked twice", description="Two new bookings for one trip."
    )
    httpx.post(
        f"{hub.url}/v1/sync/push",
        json={"client_id": "other-device", "mutations": [opened]},
        headers=bearer(token),
    ).raise_for_status()
    with console_running(hub, tmp_path) as console:
        signed_out = open_page(chromium, console.url, viewport=DESKTOP)
        expect(signed_out.get_by_label("Work email")).to_be_visible(timeout=30_000)
        shoot(signed_out, "sign-in")
        signed_out.context.close()

        page = staff_sign_in(chromium, console, ADMIN)
        go_to(page, "Status")
        expect(page.get_by_role("button", name="New incident")).to_be_visible(timeout=30_000)
        named(page, ["Refresh", "Language"])
        shoot(page, "status")
        page.get_by_role("button", name="New incident").click()
        expect(page.get_by_label("Title (English)").first).to_be_visible(timeout=30_000)
        named(page, ["Start from a template", "Impact"])
        shoot(page, "incident-form")
        go_to(page, "Cases")
        row = page.get_by_role("button", name=re.compile("Rebooked twice"))
        expect(row.first).to_be_visible(timeout=30_000)
        row.first.click()
        expect(page.get_by_role("button", name="Send reply")).to_be_visible(timeout=30_000)
        named(page, ["Status", "Assignee", "Case status", "Then set status"])
        shoot(page, "case-thread", inbox_above_case)
        page.context.close()
