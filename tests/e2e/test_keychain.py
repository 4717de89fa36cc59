"""The hub token kept through Flet's real secure storage, as the desktop and phone builds
keep it (here through the browser client's, the one client this machine can run): read
back by the next keeper, and gone once forgotten."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
from playwright.sync_api import Browser, expect

from tests.e2e.support import DESKTOP, stop_app, with_semantics
from tests.hub_process import free_port

PAGE = Path(__file__).with_name("keychain_page.py")
ROOT = Path(__file__).resolve().parents[2]


def test_a_token_in_the_keychain_is_read_back_until_forgotten(
    chromium: Browser, tmp_path: Path
) -> None:
    port = free_port()
    with (tmp_path / "page.log").open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, str(PAGE), str(port)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, (
                    tmp_path / "page.log"
                ).read_text()
                time.sleep(0.2)
        context = chromium.new_context(viewport=DESKTOP)
        page = context.new_page()
        page.goto(url)
        with_semantics(page)
        steps = "read: nothing, clt_from_the_keychain, nothing"
        expect(page.get_by_text(steps)).to_be_visible(timeout=30_000)
        context.close()
    finally:
        stop_app(server)
