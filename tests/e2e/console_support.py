"""Helpers for the console's browser journeys: `python -m app.console` served in another
process against a real hub, and signing in as a member of staff with the code the hub
made (dev mode)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.support import DESKTOP, open_page, stop_app, type_into
from tests.hub_process import RealHub, free_port

STATUS_MANAGER = "status@northwind.example"
AGENT = "agent@northwind.example"


@dataclass
class ConsoleProcess:
    url: str
    process: subprocess.Popen[bytes]
    hub: RealHub


def start_console(hub: RealHub, log_path: Path) -> ConsoleProcess:
    """`python -m app.console` on a free port, answering once it has started."""
    port = free_port()
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.console", "--port", str(port), "--hub", hub.url],
            env={**os.environ},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return ConsoleProcess(url, process, hub)
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            stop_app(process)
            raise RuntimeError(log_path.read_text())
        time.sleep(0.2)


@contextmanager
def console_running(hub: RealHub, tmp_path: Path) -> Iterator[ConsoleProcess]:
    console = start_console(hub, tmp_path / "console.log")
    try:
        yield console
    finally:
        stop_app(console.process)


def staff_sign_in(chromium: Browser, console: ConsoleProcess, email: str) -> Page:
    """A new browser on the console, signed in as `email`."""
    page = open_page(chromium, console.url, viewport=DESKTOP)
    type_into(page, "Work email", email)
    page.get_by_role("button", name="Send code").click()
    expect(page.get_by_text(f"We sent a sign-in code to {email}", exact=False)).to_be_visible(
        timeout=30_000
    )
    type_into(page, "Sign-in code", console.hub.newest_code(email))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=30_000)
    return page


def shown(page: Page, pattern: str) -> Locator:
    """Text on the page, alone or inside a card (Flutter merges a card's texts into the
    card's accessible name)."""
    wanted = re.compile(re.escape(pattern))
    return page.get_by_text(wanted).or_(page.get_by_role("group", name=wanted)).first
