"""Charts: the contact forecast per queue with its staffing advice (`forecast_card`), then
contacts per hour by channel, callback demand against capacity, and helpful against
unhelpful votes, over the last hours the hub counts (bars drawn by `chart_bars`)."""

from __future__ import annotations

from datetime import datetime

import flet as ft

from app.console.state.charts import Bars, ChartsState
from app.console.state.console import ConsoleUi
from app.console.state.forecast import ForecastState
from app.console.strings import tr
from app.console.views.chart_bars import bar_chart
from app.console.views.chart_words import series_name
from app.console.views.context import use_console
from app.console.views.forecast_card import forecast_card
from app.console.views.shell import console_view
from app.console.views.sign_in import failure_text
from app.console.views.widgets import icon_button


def chart_title(locale: str, name: str) -> str:
    return {
        "contacts": tr(locale, "chart_contacts"),
        "demand": tr(locale, "chart_demand"),
        "helpfulness": tr(locale, "chart_helpfulness"),
    }.get(name, name)


def chart_card(bars: Bars, locale: str) -> ft.Control:
    def hour(moment: datetime) -> str:
        return moment.strftime("%d %H:%M")

    drawing: ft.Control = (
        ft.Text(tr(locale, "chart_empty"))
        if bars.empty
        else bar_chart(bars, [series_name(locale, s) for s in bars.series], hour)
    )
    return ft.Container(
        ft.Column(
            [
                ft.Text(chart_title(locale, bars.name), theme_style=ft.TextThemeStyle.TITLE_MEDIUM),
                drawing,
            ],
            spacing=8,
        ),
        padding=12,
        border_radius=8,
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
    )


@ft.component
def ChartsScreen(ui: ConsoleUi, charts: ChartsState, forecast: ForecastState) -> ft.View:
    page, locale = ft.context.page, ui.locale

    def load() -> None:
        page.run_task(forecast.load)
        page.run_task(charts.load)

    ft.use_effect(load, dependencies=[])
    top = ft.Row([icon_button(ft.Icons.REFRESH, tr(locale, "refresh"), load)])
    # The forecast first (what is coming matters more in a storm than what came), in the
    # queue's zone; the charts after it, by UTC hour.
    cards = [
        *([forecast_card(page, locale, forecast)] if forecast.allowed else []),
        ft.Text(tr(locale, "charts_span", hours=charts.hours)),
        *(chart_card(bars, locale) for bars in charts.charts.values()),
    ]
    body: list[ft.Control] = [
        top,
        *failure_text(locale, charts.error),
        ft.ListView(cards, spacing=16, expand=True),
    ]
    return console_view("/charts", tr(locale, "nav_charts"), body)


@ft.component
def ChartsRoute() -> ft.View:
    console = use_console()
    return ChartsScreen(console.ui, console.screen(ChartsState), console.screen(ForecastState))
