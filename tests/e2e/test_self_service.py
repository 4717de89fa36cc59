"""Self-service without dead ends, in a real browser against the demo hub: the Help home
puts the storm's articles first and offers contact, so do a search that finds nothing and
a "No" on an article; the vote counts on the hub at once, without signing in or pressing
Send; an article lists its related articles once."""

from __future__ import annotations

import re
import time
from typing import Any

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.backend.db import Database
from app.backend.db.tables import article_feedback
from app.backend.settings import sqlite_url
from tests.e2e.support import (
    DESKTOP,
    PHONE,
    AppProcess,
    choose_language,
    device_key,
    open_page,
    screenshot,
    sign_in_when_asked,
    type_into,
    with_semantics,
)

STORM = "Winter storm at Chicago O'Hare: cancellations and long delays"


def hub_votes(app: AppProcess) -> list[Any]:
    db = Database(sqlite_url(app.hub.data_dir))
    try:
        with db.read() as conn:
            return list(conn.execute(select(article_feedback)).all())
    finally:
        db.dispose()


def until_votes(app: AppProcess, page: Page, check: Any) -> list[Any]:
    deadline = time.monotonic() + 20
    while not check(rows := hub_votes(app)):
        assert time.monotonic() < deadline, f"the hub holds {rows}"
        page.wait_for_timeout(100)
    return rows


def top(page: Page, text: str) -> float:
    box = page.get_by_text(text, exact=True).first.bounding_box()
    assert box is not None, text
    return box["y"]


def to_the_end(page: Page) -> None:
    """Scroll the screen to its end (Flutter scrolls on wheel events, not on the DOM's)."""
    size = page.viewport_size or PHONE
    page.mouse.move(size["width"] / 2, size["height"] / 2)
    page.mouse.wheel(0, 5000)
    page.wait_for_timeout(500)


def contact(page: Page, title: str = "Still need help?") -> Any:
    """The contact card: a group named by its title and text."""
    return page.get_by_role("group", name=re.compile("^" + re.escape(title)))


def search(page: Page, label: str, words: str) -> None:
    type_into(page, label, words, delay=40)


def test_help_home_and_a_search_that_finds_nothing_lead_on(
    chromium: Browser, app: AppProcess
) -> None:
    page = open_page(chromium, f"{app.url}/help", viewport=PHONE)
    storm_help = f"Help for: {STORM}"
    expect(page.get_by_text(storm_help)).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Winter weather travel waiver")).to_be_visible()
    assert top(page, storm_help) < top(page, "Browse by topic"), "the storm's articles first"
    screenshot(page, "help-home-phone-light-en")
    to_the_end(page)
    expect(contact(page)).to_be_visible()
    expect(page.get_by_role("button", name="Book a callback")).to_be_visible()
    page.goto(f"{app.url}/help")  # the search field is at the top again
    with_semantics(page)

    search(page, "Search help", "zzqx flurble")
    expect(page.get_by_text(re.compile("No articles match"))).to_be_visible()
    expect(contact(page)).to_be_visible()
    screenshot(page, "help-no-results-phone-light-en")
    page.get_by_role("button", name="Open a case").click()
    expect(page).to_have_url(re.compile(r"/cases/new\?subject=zzqx(%20|\+)flurble$"))
    sign_in_when_asked(page, app, "stuck@example.com")
    expect(page).to_have_url(re.compile(r"/cases/new\?subject=zzqx"), timeout=15_000)
    page.get_by_label("Subject").click()  # a field shows its text to the page once focused
    expect(page.get_by_label("Subject")).to_have_value("zzqx flurble", timeout=15_000)

    desktop = open_page(chromium, f"{app.url}/help", viewport=DESKTOP, scheme="dark")
    expect(desktop.get_by_text(storm_help)).to_be_visible(timeout=30_000)
    screenshot(desktop, "help-home-desktop-dark-en")
    search(desktop, "Search help", "qqqq")
    expect(contact(desktop)).to_be_visible()
    desktop.get_by_role("button", name="Book a callback").click()
    expect(desktop).to_have_url(re.compile(r"/callbacks/new$"))
    desktop.go_back()
    expect(contact(desktop)).to_be_visible(timeout=15_000)
    screenshot(desktop, "help-no-results-desktop-dark-en")


def test_a_no_counts_at_once_and_leads_on(chromium: Browser, app: AppProcess) -> None:
    page = open_page(
        chromium, f"{app.url}/help/hotel-and-meal-vouchers", viewport=DESKTOP, scheme="dark"
    )
    expect(page.get_by_text("Was this article helpful?")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Related articles", exact=True)).to_have_count(1)
    assert hub_votes(app) == []

    page.get_by_role("button", name="No", exact=True).click()
    [vote] = until_votes(app, page, bool)
    assert (vote.helpful, vote.comment, vote.customer_id) == (False, None, None)
    assert vote.voter_hash, "counted for this device, signed out, before any Send"
    expect(contact(page)).to_be_visible()
    to_the_end(page)
    screenshot(page, "article-after-no-desktop-dark-en")

    type_into(page, "What was missing? (optional)", "Which desk at ORD?", delay=30)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Thanks for your feedback.")).to_be_visible()
    [vote] = until_votes(app, page, lambda rows: rows and rows[0].comment)
    assert (vote.helpful, vote.comment) == (False, "Which desk at ORD?"), "one vote, now with it"

    page.get_by_role("button", name="Open a case about this article").click()
    expect(page).to_have_url(re.compile(r"/cases/new\?article=hotel-and-meal-vouchers$"))


def in_spanish(page: Page, app: AppProcess) -> None:
    """Account > Language > Español, then back to Help."""
    page.get_by_role("button", name="Account").click()
    choose_language(page, "Español")
    page.get_by_role("button", name="Ayuda", exact=True).click()


def test_in_spanish(chromium: Browser, app: AppProcess) -> None:
    page = open_page(chromium, f"{app.url}/help", viewport=PHONE, scheme="dark")
    expect(page.get_by_text(f"Help for: {STORM}")).to_be_visible(timeout=30_000)
    in_spanish(page, app)
    expect(page.get_by_text(re.compile("^Ayuda sobre:"))).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Exención de viaje por clima invernal")).to_be_visible()
    screenshot(page, "help-home-phone-dark-es")
    # Spanish articles first, then the English ones not translated yet, marked so.
    search(page, "Buscar en la ayuda", "maleta perdida")
    spanish = page.get_by_role("button", name=re.compile("^Equipaje demorado o perdido"))
    english = page.get_by_role(
        "button", name=re.compile("^Filing a claim for a lost bag.*En inglés", re.DOTALL)
    )
    expect(spanish).to_be_visible(timeout=15_000)
    expect(english).to_be_visible()
    spanish_box, english_box = spanish.bounding_box(), english.bounding_box()
    assert spanish_box and english_box and spanish_box["y"] < english_box["y"]
    screenshot(page, "help-search-fallback-phone-dark-es")
    english.click()
    expect(page).to_have_url(re.compile(r"/help/lost-baggage-claim$"))
    expect(page.get_by_text("En inglés", exact=True).first).to_be_visible(timeout=30_000)
    page.goto(f"{app.url}/help")
    with_semantics(page)
    expect(page.get_by_label("Buscar en la ayuda")).to_be_visible(timeout=30_000)
    page.get_by_label("Buscar en la ayuda").fill("")
    search(page, "Buscar en la ayuda", "zzqx")
    expect(contact(page, "¿Todavía necesitas ayuda?")).to_be_visible()
    expect(page.get_by_role("button", name="Abrir un caso")).to_be_visible()
    screenshot(page, "help-no-results-phone-dark-es")
    page.goto(f"{app.url}/help/hotel-and-meal-vouchers")
    with_semantics(page)
    expect(page.get_by_text("¿Te resultó útil este artículo?")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Artículos relacionados", exact=True)).to_have_count(1)
    page.get_by_role("button", name="No", exact=True).click()
    expect(contact(page, "¿Todavía necesitas ayuda?")).to_be_visible()
    until_votes(app, page, bool)
    to_the_end(page)
    screenshot(page, "article-after-no-phone-dark-es")

    # The same device on a desktop, light: the vote stays, and so does the way on.
    desktop = open_page(chromium, f"{app.url}/help", viewport=DESKTOP, device=device_key(page))
    expect(desktop.get_by_text(re.compile("^Ayuda sobre:"))).to_be_visible(timeout=30_000)
    screenshot(desktop, "help-home-desktop-light-es")
    desktop.goto(f"{app.url}/help/hotel-and-meal-vouchers")
    with_semantics(desktop)
    expect(desktop.get_by_text("Gracias por tu opinión.")).to_be_visible(timeout=30_000)
    expect(contact(desktop, "¿Todavía necesitas ayuda?")).to_be_visible()
    to_the_end(desktop)
    screenshot(desktop, "article-after-no-desktop-light-es")
