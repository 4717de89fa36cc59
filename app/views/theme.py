"""Colours and icons that carry meaning: impact of a disruption, state of a service, status
of a case or callback. Every colour stands out at 3:1 or more from the page in both the
light and the dark theme (as icons and borders must), and carries white text at 4.5:1 or
more (as a status chip does); tests/unit/test_contrast.py checks both. Text that says the
same thing as a coloured icon keeps the theme's own text colour."""

from __future__ import annotations

import flet as ft

from app.schemas import ComponentState, Impact

INFO, GOOD, NEUTRAL = ft.Colors.BLUE_700, ft.Colors.GREEN_800, ft.Colors.GREY_600
WARNING, SERIOUS, BAD = ft.Colors.ORANGE_900, ft.Colors.DEEP_ORANGE_900, ft.Colors.RED_700
IMPACT_COLORS = {
    Impact.none: INFO,
    Impact.minor: WARNING,
    Impact.major: SERIOUS,
    Impact.critical: BAD,
}
IMPACT_ICONS = {
    Impact.none: ft.Icons.INFO_OUTLINE,
    Impact.minor: ft.Icons.WARNING_AMBER,
    Impact.major: ft.Icons.ERROR_OUTLINE,
    Impact.critical: ft.Icons.REPORT,
}
STATE_COLORS = {
    ComponentState.operational: GOOD,
    ComponentState.degraded_performance: WARNING,
    ComponentState.partial_outage: SERIOUS,
    ComponentState.major_outage: BAD,
    ComponentState.under_maintenance: INFO,
}
# Status chips are filled with their colour and written in white.
CASE_STATUS_COLORS = {
    "new": INFO,
    "open": INFO,
    "pending": SERIOUS,
    "solved": GOOD,
    "closed": NEUTRAL,
}
CALLBACK_STATUS_COLORS = {
    "requested": INFO,
    "scheduled": GOOD,
    "completed": NEUTRAL,
    "cancelled": NEUTRAL,
    "missed": SERIOUS,
    "rejected": BAD,
}
STATE_ICONS = {
    ComponentState.operational: ft.Icons.CHECK_CIRCLE,
    ComponentState.degraded_performance: ft.Icons.SPEED,
    ComponentState.partial_outage: ft.Icons.ERROR_OUTLINE,
    ComponentState.major_outage: ft.Icons.CANCEL,
    ComponentState.under_maintenance: ft.Icons.BUILD,
}
SEED = ft.Colors.INDIGO

THEME_MODES = {
    "system": ft.ThemeMode.SYSTEM,
    "light": ft.ThemeMode.LIGHT,
    "dark": ft.ThemeMode.DARK,
}


def apply_theme(page: ft.Page, mode: str) -> None:
    page.theme = ft.Theme(color_scheme_seed=SEED)
    page.dark_theme = ft.Theme(color_scheme_seed=SEED)
    page.theme_mode = THEME_MODES.get(mode, ft.ThemeMode.SYSTEM)
