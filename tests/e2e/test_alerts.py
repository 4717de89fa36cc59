"""Alerts that reach a closed app, end to end: real Chromium, a real hub process, real
crypto. Headless Chromium has no push service, so the page's `pushManager.subscribe`
answers with a subscription at a stand-in push service (tests/push_service.py) whose
keys the test holds. The customer presses the button; the operator publishes; the hub
encrypts, signs and sends over TLS; the test decrypts what arrived and hands that exact
payload to the real service worker (DevTools `ServiceWorker.deliverPushMessage`); the
notification it shows is read back, and clicking it opens what it is about."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from app.backend.db.tables import alert_devices, devices
from tests.backend.webpush_support import Browser as Subscriber
from tests.e2e.alerts_support import (
    browser_for,
    deliver,
    hub_rows,
    opened,
    turn_alerts_on,
    until,
    visit,
)
from tests.e2e.support import (
    AppProcess,
    case_from_another_device,
    screenshot,
    sign_in_when_asked,
    start_app,
    stop_app,
)
from tests.hub_process import RealHub
from tests.push_service import PushService
from tests.support import bearer

UNSAFE_TITLE = 'Ground stop at "ORD" 🛑 — all departures held'
UNSAFE_BODY = 'Line one.\n\nLine «two» with "quotes" & <b>tags</b> 🚨 ' + "x" * 5000


@pytest.fixture
def app_with_push(tmp_path: Path, service: PushService) -> Iterator[AppProcess]:
    """The demo hub, pushing to the stand-in service, and the app served in front of it."""
    hub = RealHub(tmp_path / "hub")
    hub.env.update(service.env())
    hub.start()
    app = start_app(hub, tmp_path / "app", tmp_path / "app.log")
    yield app
    stop_app(app.process)
    hub.stop()


def publish(app: AppProcess, title: str, body: str, impact: str = "critical") -> str:
    operator = app.hub.cli("token", "create", "--scope", "status").split()[-1]
    made = httpx.post(
        f"{app.hub.url}/v1/admin/incidents",
        json={"title": title, "impact": impact, "components": ["flights-ord"], "body": body},
        headers=bearer(operator),
    )
    assert made.status_code == 201, made.text
    incident_id: str = made.json()["id"]
    return incident_id


def click(context: BrowserContext, tag: str) -> None:
    """A click on the notification (Playwright cannot reach the system's own)."""
    context.service_workers[-1].evaluate(
        """tag => self.registration.getNotifications({tag}).then(([n]) =>
            self.dispatchEvent(new NotificationEvent("notificationclick", {notification: n})))""",
        tag,
    )


def test_signed_in_alerts_reach_a_closed_app_and_open_what_they_are_about(
    chromium: Browser, app_with_push: AppProcess, service: PushService
) -> None:
    app = app_with_push
    subscriber = Subscriber(service.endpoint("signed-in"))
    context = browser_for(chromium, app, subscriber)
    page = visit(context, f"{app.url}/cases")
    sign_in_when_asked(page, app, "ines@example.com")
    expect(page.get_by_role("button", name="New case")).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Account").click()
    turn_alerts_on(page)
    screenshot(page, "account-alerts-on-desktop-light")
    until(lambda: [d for d in hub_rows(app, devices) if d.endpoint == subscriber.endpoint])
    page.goto("about:blank")  # the app is closed

    incident = publish(app, UNSAFE_TITLE, UNSAFE_BODY)
    [first] = service.wait_for(1)
    assert first.path == "/push/signed-in" and first.headers["Urgency"] == "high"
    payload = opened(subscriber, first)
    assert json.loads(payload)["route"] == f"/status/{incident}"
    shown = deliver(context, app, payload, f"incident-{incident}")
    assert shown["title"] == UNSAFE_TITLE
    assert "\n" not in shown["body"] and len(shown["body"]) <= 240
    assert shown["body"].startswith("Line one.")

    # A reply to the customer's case, pushed to this browser alone.
    case = case_from_another_device(app, "ines@example.com", "Hotel voucher", "For tonight")
    app.hub.cli("case", "reply", case["id"], "--body", "Voucher sent to your email.")
    reply = opened(subscriber, service.wait_for(2)[1])
    note = deliver(context, app, reply, f"case-{case['id']}")
    assert note["body"] == "Voucher sent to your email." and note["title"].endswith("Hotel voucher")

    app_page = visit(context, f"{app.url}/account")
    click(context, f"incident-{incident}")
    expect(app_page).to_have_url(f"{app.url}/status/{incident}", timeout=15_000)
    context.close()


def test_alerts_without_an_account_get_public_incidents(
    chromium: Browser, app_with_push: AppProcess, service: PushService
) -> None:
    app = app_with_push
    subscriber = Subscriber(service.endpoint("signed-out"))
    context = browser_for(chromium, app, subscriber)
    page = visit(context, f"{app.url}/account")
    expect(page.get_by_text("Sign in to follow your cases and callbacks")).to_be_visible(
        timeout=30_000
    )
    turn_alerts_on(page)
    [registered] = until(lambda: hub_rows(app, alert_devices))
    assert registered.endpoint == subscriber.endpoint
    page.goto("about:blank")

    incident = publish(app, "Ground stop at Denver", "All departures held.")
    [delivered] = service.wait_for(1)
    payload = json.loads(opened(subscriber, delivered))
    assert (payload["title"], payload["route"]) == ("Ground stop at Denver", f"/status/{incident}")
    shown = deliver(context, app, json.dumps(payload), f"incident-{incident}")
    assert shown["title"] == "Ground stop at Denver"
    context.close()
