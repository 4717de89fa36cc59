"""Colours and icons that carry meaning: impact of a disruption, state of a service."""

from __future__ import annotations

import flet as ft

from app.schemas import ComponentState, Impact

IMPACT_COLORS = {
    Impact.none: ft.Colors.BLUE_700,
    Impact.minor: ft.Colors.AMBER_800,
    Impact.major: ft.Colors.DEEP_ORANGE_700,
    Impact.critical: ft.Colors.RED_700,
}
IMPACT_ICONS = {
    Impact.none: ft.Icons.INFO_OUTLINE,
    Impact.minor: ft.Icons.WARNING_AMBER,
    Impact.major: ft.Icons.ERROR_OUTLINE,
    Impact.critical: ft.Icons.REPORT,
}
STATE_COLORS = {
    ComponentState.operational: ft.Colors.GREEN_700,
    ComponentState.degraded_performance: ft.Colors.AMBER_800,
    ComponentState.partial_outage: ft.Colors.DEEP_ORANGE_700,
    ComponentState.major_outage: ft.Colors.RED_700,
    ComponentState.under_maintenance: ft.Colors.BLUE_700,
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
