"""Helpers for the browser tests: Debian's Chromium and its arguments, the app served in
web mode in another process, pages at phone and desktop sizes, screenshots, typing, and
signing in with the code the hub sent."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

from tests.e2e.settling import settle
from tests.hub_process import RealHub, free_port
from tests.support import bearer, mutation

CHROMIUM = os.environ.get("CARELINE_CHROMIUM", "/usr/bin/chromium")


ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


COMPANY = "Northwind Air"


PHONE: ViewportSize = {"width": 390, "height": 844}


DESKTOP: ViewportSize = {"width": 1280, "height": 800}


def browser_missing() -> str | None:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run installs it)"
    return None


@dataclass
class AppProcess:
    url: str
    process: subprocess.Popen[bytes]
    hub: RealHub
    data_dir: Path


def start_app(hub: RealHub, data_dir: Path, log_path: Path, port: int | None = None) -> AppProcess:
    """`python -m app --web` on a free port (or `port`), answering once it has started."""
    port = port or free_port()
    env = {**os.environ, "CARELINE_DATA_DIR": str(data_dir), "CARELINE_COMPANY_NAME": COMPANY}
    env.pop("FLET_APP_STORAGE_DATA", None)
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "--web", "--port", str(port), "--hub", hub.url],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return AppProcess(url, process, hub, data_dir)
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            stop_app(process)
            raise RuntimeError(log_path.read_text())
        time.sleep(0.2)


def stop_app(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        # Open browser connections can hold a graceful stop: end it.
        process.kill()
        process.wait(timeout=15)


def open_page(
    chromium: Browser,
    url: str,
    *,
    viewport: ViewportSize,
    scheme: Literal["light", "dark"] = "light",
    device: str | None = None,
    secure: bool = False,
) -> Page:
    """A page on `url` with Flutter's accessibility tree switched on, in a new browser
    context (a new device, or with `device` the device of that key). `secure`: accept
    the test's self-signed certificate."""
    context = chromium.new_context(
        viewport=viewport, color_scheme=scheme, ignore_https_errors=secure
    )
    if device is not None:
        context.add_init_script(
            f"localStorage.setItem('flutter.careline.device', JSON.stringify({device!r}))"
        )
    page = context.new_page()
    page.goto(url)
    with_semantics(page)
    return page


def with_semantics(page: Page) -> None:
    """Once the app has loaded (or loaded again): switch Flutter's accessibility tree on."""
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=30_000)
    page.evaluate("document.querySelector('flt-semantics-placeholder').click()")


def device_key(page: Page) -> str:
    """The key this browser holds for its device (Flet's client storage)."""
    key: str = page.evaluate("localStorage['flutter.careline.device']")
    return key.strip('"')


def device_folder(app: AppProcess, page: Page) -> Path:
    """Where the app server keeps the personal store of this browser's device."""
    device_id = device_key(page).split(".")[0]
    return app.data_dir / "devices" / device_id[:2] / device_id


def screenshot(page: Page, name: str) -> Path:
    """Save a screenshot once Flutter has painted (two identical frames, not blank)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    previous = b""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        png = page.screenshot()
        if png == previous and len(png) > 8_000:
            break
        previous = png
        page.wait_for_timeout(150)
    path = SCREENSHOTS / f"{name}.png"
    path.write_bytes(previous)
    return path


def case_from_another_device(
    app: AppProcess, email: str, subject: str, description: str
) -> dict[str, Any]:
    """A case the customer opens on another device (straight to the hub); its entity."""
    token = app.hub.sign_in(email)["token"]
    pushed = httpx.post(
        f"{app.hub.url}/v1/sync/push",
        json={
            "client_id": "other-device",
            "mutations": [mutation("case.open", subject=subject, description=description)],
        },
        headers=bearer(token),
    )
    [result] = pushed.json()["results"]
    assert result["status"] == "applied", result
    entity: dict[str, Any] = result["entity"]
    return entity


def sign_in_code(app: AppProcess, email: str) -> str:
    """The code of the newest attempt for `email`, the one the app just asked for (dev
    mode lists pending codes, newest first)."""
    return app.hub.newest_code(email)


def code_sent(email: str) -> str:
    """What the Account screen says once the hub has emailed a code."""
    return f"We sent a sign-in code to {email}. It has 8 digits."


def sign_in_when_asked(page: Page, app: AppProcess, email: str) -> None:
    """On a screen that asks the customer to sign in first: sign in with the emailed code
    (the app then returns to that screen)."""
    page.get_by_role("button", name="Sign in").click()
    type_into(page, "Email address", email, delay=20)
    page.get_by_role("button", name="Send code").click()
    expect(page.get_by_text(code_sent(email))).to_be_visible()
    type_into(page, "Sign-in code", sign_in_code(app, email), delay=20)
    page.get_by_role("button", name="Sign in").click()


def focus(page: Page, field: Locator) -> None:
    """Click `field` until it has the focus: a tap that landed while the layout moved is
    tried again once the page is still."""
    for attempt in range(3):
        field.click()
        try:
            expect(field).to_be_focused()
            return
        except AssertionError:
            if attempt == 2:
                raise
            settle(page)


def type_into(page: Page, label: str, text: str, *, delay: float = 20) -> None:
    """Click a field, wait until it has the focus (a layout that just moved can send the
    first tap elsewhere), then type like a person. On a loaded machine the browser can
    drop the first keys while Flutter attaches its text input: then clear and type again."""
    field = page.get_by_label(label)
    for _ in range(2):
        focus(page, field)
        page.keyboard.type(text, delay=delay)
        try:
            expect(field).to_have_value(text, timeout=3_000)
            return
        except AssertionError:
            field.fill("")
    field.click()
    page.keyboard.type(text, delay=delay)
    expect(field).to_have_value(text)


def choose_language(page: Page, language: str) -> None:
    """On Account: the Language menu at the foot of the screen, then `language`. The wheel
    takes the page there (Flutter draws it, so the browser cannot scroll to the menu), and
    each tap waits for the page to be still: on a moving page it lands on whatever is there."""
    menu = page.get_by_role("button", name="Language")
    expect(menu).to_be_attached(timeout=30_000)
    size = page.viewport_size or {"width": 390, "height": 844}
    page.mouse.move(size["width"] / 2, size["height"] / 2)
    page.mouse.wheel(0, 6_000)
    settle(page)
    expect(menu).to_be_visible()
    menu.click()
    option = page.get_by_text(language).last
    expect(option).to_be_visible()
    settle(page)
    option.click()
