"""Colours that carry meaning are legible in both themes (WCAG 2.1): 3:1 or more from the
page for icons and borders (1.4.11), 4.5:1 or more for the white text of a status chip
(1.4.3). The page colours are Material 3's surfaces for the app's seed colour."""

from __future__ import annotations

import flet as ft
import pytest

from app.views import theme

# Material's palette, as Flutter defines it, for the colours the app gives meaning to.
PALETTE = {
    "blue700": "1976D2",
    "green800": "2E7D32",
    "grey600": "757575",
    "orange900": "E65100",
    "deeporange900": "BF360C",
    "red700": "D32F2F",
    "white": "FFFFFF",
}
SURFACES = {"light": "FBF8FF", "dark": "121318"}  # indigo seed, Material 3 surface
MEANINGS = {
    **{f"impact {k.value}": v for k, v in theme.IMPACT_COLORS.items()},
    **{f"service {k.value}": v for k, v in theme.STATE_COLORS.items()},
}
CHIPS = {
    **{f"case {k}": v for k, v in theme.CASE_STATUS_COLORS.items()},
    **{f"callback {k}": v for k, v in theme.CALLBACK_STATUS_COLORS.items()},
}


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def hex_of(colour: str) -> str:
    return PALETTE[ft.Colors(colour).value]


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("meaning", sorted({**MEANINGS, **CHIPS}))
def test_meaning_colours_stand_out_from_the_page(meaning: str, surface: str) -> None:
    colour = {**MEANINGS, **CHIPS}[meaning]
    assert contrast(hex_of(colour), SURFACES[surface]) >= 3, colour


@pytest.mark.parametrize("chip", sorted(CHIPS))
def test_status_chips_carry_white_text(chip: str) -> None:
    assert contrast(PALETTE["white"], hex_of(CHIPS[chip])) >= 4.5, CHIPS[chip]


def test_the_check_itself() -> None:
    assert contrast("FFFFFF", "000000") == pytest.approx(21)
    assert contrast("FF8F00", SURFACES["light"]) < 3, "amber on white, as the app had it"
