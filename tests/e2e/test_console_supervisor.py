"""A supervisor signs in to the console, sets more agents on duty for a slot customers can
book, and customers' availability (the hub's public route the customer app reads) offers
more places in that slot; a queue in another time zone shows its times in its own."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import yaml
from playwright.sync_api import Browser, expect

from tests.e2e.console_support import console_running, staff_sign_in
from tests.e2e.settling import settled_click
from tests.e2e.supervisor_data import SUPERVISOR, go_to, saved
from tests.e2e.support import type_into
from tests.hub_process import RealHub

DEMO = Path(__file__).resolve().parents[2] / "assets" / "demo" / "northwind"
# Open around the clock (a slot is bookable whatever the hour), and the board's first queue.
QUEUE = "rebooking"


def first_slot(hub: RealHub) -> dict[str, Any]:
    found = httpx.get(f"{hub.url}/v1/callbacks/availability", params={"queue": QUEUE})
    slot: dict[str, Any] = found.json()["slots"][0]
    return slot


def remaining(hub: RealHub, start: str) -> int:
    found = httpx.get(f"{hub.url}/v1/callbacks/availability", params={"queue": QUEUE})
    return next(int(s["remaining"]) for s in found.json()["slots"] if s["start"] == start)


def test_supervisor_staffing_changes_what_customers_can_book(
    hub: RealHub, chromium: Browser, tmp_path: Path
) -> None:
    slot = first_slot(hub)
    before = remaining(hub, slot["start"])
    # The board's day is the company's; this queue's times are in its zone, the same one.
    zone = ZoneInfo(yaml.safe_load((DEMO / "company.yaml").read_text())["time_zone"])
    start = datetime.fromisoformat(slot["start"]).astimezone(zone)
    end = datetime.fromisoformat(slot["end"]).astimezone(zone)
    with console_running(hub, tmp_path) as console:
        page = staff_sign_in(chromium, console, SUPERVISOR)
        go_to(page, "Callbacks")
        expect(page.get_by_role("button", name="Set staffing")).to_be_visible(timeout=30_000)
        today = datetime.now(zone).date()
        for _ in range((start.date() - today).days):
            page.get_by_role("button", name="Next day").click()
        expect(page.get_by_text(f"{start.date().isoformat()} · times in")).to_be_visible()
        type_into(page, "Starts at", start.strftime("%H:%M"))
        to = "24:00" if end.date() > start.date() else end.strftime("%H:%M")
        type_into(page, "Ends at", to)
        type_into(page, "Agents on duty", "40")
        page.get_by_role("button", name="Set staffing").click()
        expect(saved(page)).to_be_visible(timeout=30_000)
        # A queue in another zone shows its times in its own, and says which.
        settled_click(page, page.get_by_role("button", name="Queue", exact=True))
        settled_click(page, page.get_by_text("Bookings, baggage and general help").last)
        expect(
            page.get_by_text(re.compile("times are in its own zone, America/New_York"))
        ).to_be_visible()
        page.context.close()
    after = remaining(hub, slot["start"])
    assert after > before, (before, after)
