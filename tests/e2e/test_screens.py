"""Every screen at phone and desktop sizes, light and dark, saved as screenshots for a
person to look at (test-artifacts/screenshots). Each screen must show its content."""

from __future__ import annotations

import re
from typing import Any, Literal

import httpx
import pytest
from playwright.sync_api import Browser, ViewportSize, expect

from tests.e2e.support import (
    DESKTOP,
    PHONE,
    AppProcess,
    device_key,
    open_page,
    screenshot,
    sign_in_when_asked,
    with_semantics,
)
from tests.support import bearer, mutation, push_body

pytestmark = pytest.mark.slow
EMAIL = "robin@example.com"


def push(app: AppProcess, token: str, name: str, **args: Any) -> dict[str, Any]:
    """One mutation straight to the hub, as the same customer on another device."""
    body = push_body(mutation(name, **args), client_id="screens-test")
    response = httpx.post(f"{app.hub.url}/v1/sync/push", json=body, headers=bearer(token))
    [result] = response.json()["results"]
    assert result["status"] == "applied", result
    entity: dict[str, Any] = result["entity"]["data"]
    return entity


@pytest.fixture
def screens(chromium: Browser, app: AppProcess) -> tuple[str, list[tuple[str, str, str]]]:
    """A signed-in browser holding a case with an agent's reply and a booked callback: its
    device key, and (name, path, text or field label that shows the screen has its
    content) for every screen."""
    page = open_page(chromium, f"{app.url}/cases", viewport=DESKTOP)
    sign_in_when_asked(page, app, EMAIL)
    expect(page.get_by_role("button", name="New case")).to_be_visible(timeout=15_000)
    token = app.hub.sign_in(EMAIL)["token"]
    case = push(
        app,
        token,
        "case.open",
        subject="Refund for cancelled NW881",
        description="My flight on Friday was cancelled by the storm. How do I get a refund?",
        category="refunds",
    )
    callback = push(
        app, token, "callback.request", queue="rebooking", mode="asap", phone="+13125550100"
    )
    app.hub.cli("case", "reply", case["id"], "--body", "Your refund is on its way: 5-7 days.")
    status = httpx.get(f"{app.hub.url}/v1/status").json()
    storm = status["active_incidents"][0]["id"]
    page.get_by_label("Refresh").click()
    case_tile = page.get_by_role("button", name=re.compile("^Refund for cancelled NW881"))
    expect(case_tile).to_be_visible(timeout=20_000)
    signed_in = device_key(page)
    page.context.close()
    return signed_in, [
        ("status", "/status", "Services"),
        ("incident", f"/status/{storm}", "Affected services"),
        ("help", "/help", "Browse by topic"),
        ("article", "/help/winter-weather-travel-waiver", "Was this article helpful?"),
        ("callbacks", "/callbacks", "Upcoming"),
        ("book-callback", "/callbacks/new?queue=rebooking", "When should we call?"),
        ("callback", f"/callbacks/{callback['id']}", "+1 312-555-0100"),
        ("cases", "/cases", "New case"),
        ("new-case", "/cases/new", "Describe what happened"),
        ("case", f"/cases/{case['number']}", "Your refund is on its way: 5-7 days."),
        ("account", "/account", f"Signed in as {EMAIL}"),
    ]


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_screen(
    chromium: Browser,
    app: AppProcess,
    screens: tuple[str, list[tuple[str, str, str]]],
    size: str,
    scheme: Literal["light", "dark"],
) -> None:
    viewport: ViewportSize = PHONE if size == "phone" else DESKTOP
    device, shown_screens = screens  # the signed-in browser's device
    page = open_page(chromium, f"{app.url}/status", viewport=viewport, scheme=scheme, device=device)
    for name, path, marker in shown_screens:
        page.goto(f"{app.url}{path}")
        with_semantics(page)
        shown = page.get_by_text(marker).or_(page.get_by_label(marker)).first
        expect(shown).to_be_visible(timeout=30_000)
        screenshot(page, f"screen-{name}-{size}-{scheme}")
    page.context.close()
