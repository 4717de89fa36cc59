"""What the Account screen says about the device, in each place the app runs."""

from __future__ import annotations

import pytest

from app.state.session import UiState
from app.views.device_panel import device_text


@pytest.mark.parametrize(
    ("web", "installed", "ios", "text"),
    [
        (False, False, False, "device_desktop"),
        (True, True, False, "device_installed"),
        (True, True, True, "device_installed"),
        (True, False, True, "device_ios_home_screen"),
        (True, False, False, "device_installable"),
    ],
)
def test_each_place_the_app_runs_gets_its_words(
    web: bool, installed: bool, ios: bool, text: str
) -> None:
    ui = UiState(390)
    ui.web, ui.installed, ui.ios = web, installed, ios
    assert device_text(ui) == text
