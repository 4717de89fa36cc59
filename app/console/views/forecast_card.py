"""The contact forecast's card on the Charts screen, per queue: expected contacts beside
those that came, agents planned beside agents needed, the spans short of agents, the
target the advice uses and the active incidents that raise the forecast. Times are the
queue's own (its zone is named), as on the callbacks board."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import flet as ft
from babel.dates import format_datetime

from app.console.state.charts import Bars
from app.console.state.forecast import ForecastState, Gap
from app.console.strings import babel_locale, tr
from app.console.views.chart_bars import bar_chart
from app.console.views.chart_words import series_name
from app.console.views.sign_in import failure_text
from app.console.views.widgets import dropdown
from app.schemas.forecast import ContactForecast
from app.schemas.warnings import printable

# The longest an incident's title is shown (its card stays one line).
TITLE_CHARS = 80


def clock(locale: str, moment: datetime, zone: ZoneInfo) -> str:
    """A half hour's start in the queue's zone, with its weekday ('Tue 14:00')."""
    return format_datetime(moment, "EEE HH:mm", tzinfo=zone, locale=babel_locale(locale))


def gap_text(locale: str, gap: Gap, zone: ZoneInfo) -> str:
    start = clock(locale, gap.start, zone)
    end = gap.end.astimezone(zone).strftime("%H:%M")
    key = "forecast_gap_one" if gap.short == 1 else "forecast_gap"
    return tr(locale, key, start=start, end=end, agents=gap.short)


def _chart(locale: str, bars: Bars, zone: ZoneInfo, title: str) -> ft.Control:
    names = [series_name(locale, s) for s in bars.series]
    return ft.Column(
        [
            ft.Text(title, theme_style=ft.TextThemeStyle.TITLE_SMALL),
            bar_chart(bars, names, lambda moment: clock(locale, moment, zone)),
        ],
        spacing=4,
    )


def _advice(locale: str, state: ForecastState, forecast: ContactForecast) -> list[ft.Control]:
    found = state.gaps()
    shorts: list[ft.Control] = [
        ft.Row(
            [
                ft.Icon(ft.Icons.WARNING_AMBER, color=ft.Colors.ERROR, size=18),
                ft.Text(gap_text(locale, gap, state.zone), color=ft.Colors.ERROR),
            ],
            spacing=6,
        )
        for gap in found
    ] or [ft.Text(tr(locale, "forecast_no_gap"))]
    target = tr(
        locale,
        "forecast_target",
        share=round(forecast.target_share * 100),
        minutes=f"{forecast.target_minutes:g}",
        handle=forecast.handle_minutes,
        weeks=f"{forecast.history_weeks:g}",
    )
    incidents: list[ft.Control] = [
        ft.Text(
            tr(
                locale,
                "forecast_incident",
                title=printable(incident.title, TITLE_CHARS),
                impact=tr(locale, f"impact_{incident.impact.value}"),
                touched=incident.touched,
            )
        )
        for incident in forecast.active_incidents
    ]
    raised = (
        [ft.Text(tr(locale, "forecast_incidents")), *incidents]
        if incidents
        else [ft.Text(tr(locale, "forecast_no_incidents"))]
    )
    return [*shorts, ft.Text(target), *raised]


def forecast_card(page: ft.Page, locale: str, state: ForecastState) -> ft.Control:
    forecast = state.current
    menu = dropdown(
        label=tr(locale, "queue"),
        value=state.queue_id,
        width=340,
        dense=True,
        options=[ft.DropdownOption(key=f.queue, text=state.name(f.queue)) for f in state.forecasts],
        on_select=lambda e: page.run_task(state.choose, e.control.value or ""),
    )
    body: list[ft.Control] = [
        ft.Text(tr(locale, "forecast_title"), theme_style=ft.TextThemeStyle.TITLE_MEDIUM),
        *failure_text(locale, state.error),
    ]
    if forecast is None:
        body.append(ft.Text(tr(locale, "forecast_none")))
    else:
        zone, other = state.zone, state.other_zone()
        said = (
            tr(locale, "queue_zone", zone=other, company=state.company_zone.key)
            if other
            else tr(locale, "forecast_zone", zone=zone.key)
        )
        body += [
            ft.Row([menu, ft.Text(said)], wrap=True),
            ft.Text(tr(locale, "forecast_what")),
            _chart(locale, state.contacts(), zone, tr(locale, "forecast_contacts")),
            _chart(locale, state.staffing(), zone, tr(locale, "forecast_staffing")),
            *_advice(locale, state, forecast),
        ]
    return ft.Container(
        ft.Column(body, spacing=8),
        padding=12,
        border_radius=8,
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
    )
