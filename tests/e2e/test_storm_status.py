"""A storm day on Status, end to end (real hub process, the app in web mode, Chromium):
the O'Hare storm is over and a ground stop at Denver is on. A customer who follows
O'Hare, Baggage and the call centre (by clicking the checkboxes on Account, found by
their names) never sees "all is well": the Denver disruption is listed under "Other
disruptions", the Denver row leads to it, and stages read in a traveller's words."""

from __future__ import annotations

import re
from typing import Literal

import httpx
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.e2e.support import (
    DESKTOP,
    PHONE,
    AppProcess,
    choose_language,
    device_key,
    open_page,
    screenshot,
    with_semantics,
)
from tests.support import bearer

STORM = "Winter storm at Chicago O'Hare: cancellations and long delays"
DENVER = "Ground stop at Denver"
FOLLOWED = {
    "Airports": ["Flights at Chicago O'Hare (ORD)"],
    "Services": ["Baggage", "Call centre"],
}


def operator(app: AppProcess, path: str, body: dict[str, object]) -> dict[str, object]:
    """What the company's team does through the hub's admin API."""
    token = app.hub.cli("token", "create", "--scope", "status").split()[-1]
    made = httpx.post(f"{app.hub.url}/v1/admin/{path}", json=body, headers=bearer(token))
    assert made.status_code in (200, 201), made.text
    answer: dict[str, object] = made.json()
    return answer


def storm_over_denver_stopped(app: AppProcess) -> tuple[str, str]:
    """Resolve the demo's O'Hare storm, then stop flights at Denver: the two incidents."""
    [storm] = [
        i
        for i in httpx.get(f"{app.hub.url}/v1/status").json()["active_incidents"]
        if i["title"] == STORM
    ]
    operator(
        app,
        f"incidents/{storm['id']}/updates",
        {"status": "resolved", "body": "Flights at O'Hare run normally again."},
    )
    denver = operator(
        app,
        "incidents",
        {
            "title": DENVER,
            "impact": "major",
            "components": ["flights-den"],
            "body": "Lightning near the airport: departures are held for about an hour.",
        },
    )
    return str(storm["id"]), str(denver["id"])


# Flutter clears a live region's announcement a moment after making it: keep each one.
RECORD_ANNOUNCEMENTS = """() => {
    window.careline_said = [];
    setInterval(() => document.querySelectorAll('flt-announcement-polite').forEach((el) => {
        if (el.textContent) window.careline_said.push(el.textContent);
    }), 20);
}"""


def follow_on_account(page: Page) -> None:
    """Follow services as a person does: each checkbox found by its name in its group."""
    page.evaluate(RECORD_ANNOUNCEMENTS)
    page.get_by_role("button", name="Account").click()
    expect(page.get_by_text(re.compile("We don't send alerts by email"))).to_be_visible(
        timeout=15_000
    )
    expect(page.get_by_label("Airport, flight or booking")).to_be_visible()
    for group, names in FOLLOWED.items():
        for name in names:
            box = page.get_by_role("group", name=group).get_by_role("checkbox", name=name)
            box.scroll_into_view_if_needed()
            expect(box).not_to_be_checked()
            box.click()
            expect(box).to_be_checked()
            saved = f"Saved: you'll get alerts about {name}."
            expect(page.locator("span", has_text=saved)).to_be_visible()
            # Screen readers are told too (a live region's announcement).
            # (Flutter adds a no-break space to an announcement that follows another.)
            said = "(t) => window.careline_said.some((s) => s.trim() === t)"
            page.wait_for_function(said, arg=saved)
    screenshot(page, "storm-account-alerts-desktop-light")


def test_a_disruption_elsewhere_is_never_hidden_behind_an_all_clear(
    chromium: Browser, app: AppProcess
) -> None:
    storm, denver = storm_over_denver_stopped(app)
    page = open_page(chromium, f"{app.url}/status", viewport=DESKTOP)
    expect(page.get_by_text(DENVER)).to_be_visible(timeout=30_000)
    follow_on_account(page)

    page.get_by_role("button", name="Status").click()
    expect(page.get_by_text("Affecting you", exact=True)).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Nothing you follow is disrupted right now.")).to_be_visible()
    other = page.get_by_text("Other disruptions", exact=True)
    expect(other).to_be_visible()
    expect(page.get_by_text("All services are running normally")).to_have_count(0)
    heading, card = other.bounding_box(), page.get_by_text(DENVER).first.bounding_box()
    assert heading is not None and card is not None and heading["y"] < card["y"]
    expect(page.get_by_text("Major disruption · We're looking into it")).to_be_visible()
    screenshot(page, "storm-status-desktop-light")

    # The Denver row leads to its incident; affected services are plain text there.
    row = page.get_by_role("button", name=re.compile(r"^Flights at Denver \(DEN\)"))
    row.scroll_into_view_if_needed()
    expect(row).to_contain_text("Some problems")
    row.click()
    expect(page).to_have_url(f"{app.url}/status/{denver}")
    expect(page.get_by_text("Flights at Denver (DEN): Some problems")).to_be_visible()
    expect(page.get_by_role("checkbox")).to_have_count(0)
    screenshot(page, "storm-incident-desktop-light")

    # The storm that is over looks over: "Fixed", no longer its impact.
    page.goto(f"{app.url}/status/{storm}")
    with_semantics(page)
    expect(page.get_by_text("Fixed", exact=True).first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Severe disruption")).to_have_count(0)
    screenshot(page, "storm-resolved-incident-desktop-light")

    shoot_every_size(chromium, app, device_key(page), storm, denver)


def shoot_every_size(
    chromium: Browser, app: AppProcess, device: str, storm: str, denver: str
) -> None:
    """Status and both incidents at phone and desktop sizes, light and dark, in English
    then in Spanish (the language is this device's preference)."""
    sizes: list[tuple[str, ViewportSize]] = [("phone", PHONE), ("desktop", DESKTOP)]
    schemes: list[Literal["light", "dark"]] = ["light", "dark"]
    # The company's words come in the language too: the demo's services are translated.
    words = (("en", "Other disruptions", "^Flights at"), ("es", "Otras incidencias", "^Vuelos en"))
    for locale, other_heading, service in words:
        if locale == "es":
            choose_spanish(chromium, app, device)
        for size, viewport in sizes:
            for scheme in schemes:
                page = open_page(
                    chromium, f"{app.url}/status", viewport=viewport, scheme=scheme, device=device
                )
                expect(page.get_by_text(other_heading, exact=True)).to_be_visible(timeout=30_000)
                name = f"{size}-{scheme}-{locale}"
                screenshot(page, f"storm-status-{name}")
                for label, incident in (("incident", denver), ("resolved", storm)):
                    page.goto(f"{app.url}/status/{incident}")
                    with_semantics(page)
                    expect(page.get_by_text(re.compile(service)).first).to_be_visible(
                        timeout=30_000
                    )
                    screenshot(page, f"storm-{label}-{name}")
                page.context.close()


def choose_spanish(chromium: Browser, app: AppProcess, device: str) -> None:
    page = open_page(chromium, f"{app.url}/account", viewport=DESKTOP, device=device)
    choose_language(page, "Español")
    expect(page.get_by_role("button", name="Estado").first).to_be_visible(timeout=15_000)
    spanish = page.get_by_text(re.compile("No enviamos alertas por correo electrónico"))
    expect(spanish).to_be_visible()
    screenshot(page, "storm-account-alerts-desktop-light-es")
    page.context.close()
