"""What the Account screen's "Where you're signed in" says about each sign-in, in each
language: the device in words, this device marked, and its times."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.schemas.sessions import SignIn
from app.views.sessions_panel import device_icon, device_label, session_lines
from app.views.strings import when

FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
TOKYO = ZoneInfo("Asia/Tokyo")
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)


@pytest.mark.parametrize(
    ("device", "english", "spanish"),
    [
        ("careline-app/0.1.0 (Linux)", "Careline app on Linux", "App Careline en Linux"),
        ("careline-app/0.1.0 (Darwin)", "Careline app on macOS", "App Careline en macOS"),
        (FIREFOX_LINUX, "Firefox on Linux", "Firefox en Linux"),
        (CHROME_ANDROID, "Chrome on Android", "Chrome en Android"),
        (SAFARI_IPHONE, "Safari on iPhone", "Safari en iPhone"),
        (EDGE_WINDOWS, "Edge on Windows", "Edge en Windows"),
        ("curl/8.5.0", "curl/8.5.0", "curl/8.5.0"),
        (None, "Unknown device", "Dispositivo desconocido"),
        ("x" * 200, "x" * 59 + "…", "x" * 59 + "…"),
    ],
)
def test_each_device_is_named_in_words(device: str | None, english: str, spanish: str) -> None:
    assert device_label("en", device) == english
    assert device_label("es", device) == spanish


def test_phones_and_computers_get_their_icons() -> None:
    assert device_icon(CHROME_ANDROID) == device_icon(SAFARI_IPHONE)
    assert device_icon(FIREFOX_LINUX) == device_icon("careline-app/0.1.0 (Windows)")
    assert device_icon(CHROME_ANDROID) != device_icon(FIREFOX_LINUX)
    assert device_icon(None) != device_icon(FIREFOX_LINUX)


def test_this_device_is_marked_with_its_times() -> None:
    created = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    used = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
    here = SignIn(
        id="tok_1", device=FIREFOX_LINUX, created_at=created, last_used_at=used, current=True
    )
    there = SignIn(id="tok_2", device=CHROME_ANDROID, created_at=created)
    title, detail = session_lines("en", here, TOKYO)
    assert title == "Firefox on Linux · This device"
    assert detail == f"Signed in {when('en', created, TOKYO)} · last used {when('en', used, TOKYO)}"
    assert detail.startswith("Signed in Nov 21, 12:00"), "in the customer's zone"
    title, detail = session_lines("es", there, TOKYO)
    assert title == "Chrome en Android"
    # Never used since signing in: it was last used then.
    assert (
        detail == f"Inicio: {when('es', created, TOKYO)} · último uso: {when('es', created, TOKYO)}"
    )
