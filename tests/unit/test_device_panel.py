"""What the Account screen says about the device, in each place the app runs, and where the
alerts page it opens leads back to."""

from __future__ import annotations

import pytest

from app.state.window import UiState
from app.views.device_panel import device_text
from app.views.web.alerts import alerts_page


@pytest.mark.parametrize(
    ("web", "installed", "phone", "ios", "text"),
    [
        (False, False, False, False, "device_desktop"),
        (False, False, True, False, "device_phone"),  # a native Android build
        (False, False, True, True, "device_phone"),
        (True, True, True, False, "device_installed"),
        (True, True, True, True, "device_installed"),
        (True, False, True, True, "device_ios_home_screen"),
        (True, False, False, False, "device_installable"),
    ],
)
def test_each_place_the_app_runs_gets_its_words(
    web: bool, installed: bool, phone: bool, ios: bool, text: str
) -> None:
    ui = UiState(390)
    ui.web, ui.installed, ui.phone, ui.ios = web, installed, phone, ios
    assert device_text(ui) == text


@pytest.mark.parametrize(
    ("back", "link"),
    [
        ("/account", "/account"),
        ("/status/inc_1", "/status/inc_1"),
        ("//evil.example", "/account"),
        ("/\\evil.example", "/account"),
        ("/\t/evil.example", "/account"),
        ("https://evil.example", "/account"),
        ('/account"><script>', "/account&quot;&gt;&lt;script&gt;"),
    ],
)
def test_the_alerts_page_leads_back_only_within_the_app(back: str, link: str) -> None:
    page = alerts_page("en", back, "Northwind Air")
    assert f'<a id="back" href="{link}">' in page
    assert "<script>" not in page.split('id="back"')[1]
