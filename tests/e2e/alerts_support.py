"""Helpers for the alert journeys: a browser context whose pushes a test subscriber
receives, turning alerts on, the hub's rows, waiting, and delivering a push to the
service worker."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import http_ece
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from app.backend.db import Database
from app.backend.settings import sqlite_url
from tests.backend.webpush_support import Browser as Subscriber
from tests.e2e.support import (
    DESKTOP,
    AppProcess,
    with_semantics,
)


def browser_for(chromium: Browser, app: AppProcess, subscriber: Subscriber) -> BrowserContext:
    """A browser allowed to notify, whose push subscription is `subscriber`'s."""
    context = chromium.new_context(viewport=DESKTOP)
    context.grant_permissions(["notifications"], origin=app.url)
    subscription = json.dumps({"endpoint": subscriber.endpoint, "keys": subscriber.keys()})
    context.add_init_script(
        f"""(() => {{
            const made = {subscription};
            const subscription = {{
                endpoint: made.endpoint, expirationTime: null,
                toJSON: () => made, unsubscribe: async () => true,
            }};
            let held = null;
            const manager = PushManager.prototype;
            manager.subscribe = async function () {{ held = subscription; return held; }};
            manager.getSubscription = async function () {{ return held; }};
        }})();"""
    )
    return context


def visit(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.goto(url)
    with_semantics(page)
    return page


def turn_alerts_on(page: Page) -> None:
    """From Account: the button, the page of Careline's own, back to Account."""
    page.get_by_role("button", name="Alerts on this device").click()
    expect(page).to_have_url(re.compile(r"/careline/alerts\?"), timeout=15_000)
    page.get_by_role("button", name="Turn on alerts").click()
    expect(page.get_by_role("status")).to_have_text("Alerts are on for this device.")
    expect(page).to_have_url(re.compile(r"/account$"), timeout=15_000)
    with_semantics(page)
    expect(
        page.get_by_text("Alerts reach this device, even when Careline is closed.")
    ).to_be_visible(timeout=30_000)


def hub_rows(app: AppProcess, table: Any) -> list[Any]:
    db = Database(sqlite_url(app.hub.data_dir))
    try:
        with db.read() as conn:
            return list(conn.execute(select(table)).all())
    finally:
        db.dispose()


def until(check: Any, seconds: float = 20, page: Page | None = None) -> Any:
    """Until `check()` gives something; with `page`, waiting lets Playwright hand over
    the events that came meanwhile."""
    deadline = time.monotonic() + seconds
    while not (found := check()):
        assert time.monotonic() < deadline, "timed out"
        if page is not None:
            page.wait_for_timeout(100)
        else:
            time.sleep(0.1)
    return found


def opened(subscriber: Subscriber, delivered: Any) -> str:
    """What the hub sent, decrypted with the browser's own key."""
    plain: bytes = http_ece.decrypt(
        delivered.body, private_key=subscriber.key, auth_secret=subscriber.auth, version="aes128gcm"
    )
    return plain.decode()


def deliver(context: BrowserContext, app: AppProcess, payload: str, tag: str) -> dict[str, Any]:
    """Hand `payload` to the app's service worker as a push; the notification it shows
    (the one of `tag`), read from a page of the app's origin: the worker may have been
    stopped while the app was closed, and a new one started for the push."""
    page = context.new_page()
    page.goto(f"{app.url}/manifest.json")  # a file of the origin that runs nothing
    cdp = context.new_cdp_session(page)
    registrations: list[dict[str, Any]] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    found = until(
        lambda: [r for r in registrations if r["scopeURL"] == f"{app.url}/" and not r["isDeleted"]],
        page=page,
    )
    read = (
        "tag => navigator.serviceWorker.ready.then(r => r.getNotifications({tag}))"
        ".then(ns => ns.map(n => "
        "({title: n.title, body: n.body, tag: n.tag, route: n.data && n.data.route})))"
    )
    # Under load, a push DevTools hands over while the worker is stopping (idle since the
    # app closed) is now and then lost; sent again, it replaces itself (the same tag).
    for _ in range(4):
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": app.url, "registrationId": found[-1]["registrationId"], "data": payload},
        )
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            shown: list[dict[str, Any]] = page.evaluate(read, tag)
            if shown:
                page.close()
                [notification] = shown
                return notification
            page.wait_for_timeout(200)
    raise AssertionError(f"no notification {tag} after four pushes")
