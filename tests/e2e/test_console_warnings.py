"""Early warning in the storm console, in a real browser against a real hub: public posts
about lost bags (one of them markup and control characters) are imported with the hub's
CLI and open a warning; the status manager sees it counted in the rail and listed with
its sample posts as plain text, publishes the incident the form is prefilled with (after
editing its title), and the incident is on the Status screen."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.console_support import STATUS_MANAGER, console_running, shown, staff_sign_in
from tests.e2e.settling import settled_click
from tests.e2e.support import focus, screenshot, type_into
from tests.hub_process import RealHub

TITLE = "Bags left behind in Denver"
HOSTILE = "<b>luggage</b> \x1b[31mgone\x1b[0m [click](http://x) \u202e"


def posts_file(folder: Path) -> Path:
    """Six calm hours of posts about bags, one each ten minutes, then fifteen in seven
    minutes, the burst an hour ago (at the start of one of the hub's ten-minute bins, so
    that it falls in one)."""
    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    burst = hour_ago.replace(minute=hour_ago.minute // 10 * 10, second=0, microsecond=0)
    lines = [
        {"id": f"c{i}", "created_at": burst - timedelta(minutes=355 - 10 * i), "text": "bag ok"}
        for i in range(36)
    ] + [
        {"id": f"s{i}", "created_at": burst + timedelta(seconds=30 * i), "text": f"{HOSTILE} {i}"}
        for i in range(15)
    ]
    path = folder / "posts.jsonl"
    path.write_text("\n".join(json.dumps(line, default=str) for line in lines) + "\n")
    return path


def test_a_warning_from_public_posts_becomes_a_published_incident(
    hub: RealHub, chromium: Browser, tmp_path: Path
) -> None:
    # The demo's own warning (the storm at O'Hare) is dismissed first: this one is the only
    # one open.
    [demo] = json.loads(hub.cli("social", "warnings", "--json"))
    hub.cli("social", "dismiss", demo["id"])
    imported = hub.cli("social", "import", str(posts_file(tmp_path)))
    assert "1 warnings opened" in imported, imported
    with console_running(hub, tmp_path) as console:
        page = staff_sign_in(chromium, console, STATUS_MANAGER)
        # The rail counts the open warning (and says how many).
        tab = page.get_by_role("button", name=re.compile("Early warnings"))
        expect(tab).to_be_visible(timeout=30_000)
        expect(tab).to_contain_text("1 new", timeout=30_000)
        settled_click(page, tab)
        expect(shown(page, "Open warnings: 1")).to_be_visible(timeout=30_000)
        expect(shown(page, "baggage · open")).to_be_visible()
        # The sample posts are one plain line each: the markup is shown, never drawn.
        expect(shown(page, "<b>luggage<")).to_be_visible()
        expect(shown(page, "[31mgone [0m [click](http:")).to_be_visible()
        screenshot(page, "console-warnings-1280-light")
        settled_click(page, page.get_by_role("button", name="Publish incident"))
        title = page.get_by_label("Title (English)")
        # A field says its value once it has the focus.
        focus(page, title)
        expect(title).to_have_value("Reports of disruption: Baggage", timeout=30_000)
        spanish = page.get_by_label("Title (Spanish)")
        focus(page, spanish)
        expect(spanish).to_have_value("Avisos de incidencias: Equipaje")
        expect(page.get_by_role("checkbox", name="Baggage")).to_be_checked()
        focus(page, title)
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        type_into(page, "Title (English)", TITLE)
        settled_click(page, page.get_by_role("button", name="Preview"))
        expect(shown(page, "customers will be alerted")).to_be_visible(timeout=30_000)
        settled_click(page, page.get_by_role("button", name="Publish", exact=True))
        expect(shown(page, f"Published: {TITLE}")).to_be_visible(timeout=30_000)
        # The incident's card, with the message the warning wrote.
        card = re.compile(f"^{TITLE}\\sIncident.*Travellers report problems with Baggage", re.S)
        expect(page.get_by_role("group", name=card)).to_be_visible()
        # Published through the form: the warning is no longer open.
        settled_click(page, page.get_by_role("button", name=re.compile("Early warnings")))
        expect(shown(page, "No open warnings.")).to_be_visible(timeout=30_000)
        expect(shown(page, "baggage · published")).to_be_visible()
