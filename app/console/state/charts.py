"""Charts: contacts per hour by channel, callback demand against capacity, helpful and
unhelpful votes over time, as the hub counts them (`/v1/admin/charts/...`), turned into
what the bar drawing needs: one group per hour, one value per series, a common scale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import flet as ft

from app.console import supervisor_api as api
from app.console.state.console import ConsoleState
from app.console.state.errors import Failure
from app.schemas.console import ChartSeries


@dataclass(frozen=True)
class Bars:
    """A chart ready to draw: series names (legend order) and per hour their values."""

    name: str
    series: list[str]
    hours: list[datetime]
    values: list[list[float]]  # values[hour][series] (counts, or expected contacts)
    top: float  # the scale's maximum (at least 1)

    @property
    def empty(self) -> bool:
        return not any(any(v) for v in self.values)


def bars(chart: ChartSeries) -> Bars:
    series: list[str] = []
    for point in chart.points:
        series += [name for name in point.values if name not in series]
    values: list[list[float]] = [
        [point.values.get(name, 0) for name in series] for point in chart.points
    ]
    return Bars(chart.name, series, [p.hour for p in chart.points], values, scale_top(values))


def scale_top(values: list[list[float]]) -> float:
    """The top of a chart's scale: its largest value, at least 1."""
    return max(max((v for row in values for v in row), default=0), 1)


class ChartsState(ft.Observable):
    def __init__(self, console: ConsoleState) -> None:
        self._hub = console.client
        self._session = console.session
        self.hours = 48
        self.charts: dict[str, Bars] = {}
        self.busy = False
        self.error: Failure | None = None

    async def load(self) -> None:
        self.busy = True
        loaded: dict[str, Bars] = {}
        for name, scope in api.CHART_SCOPES.items():
            if not self._session.can(scope):
                continue  # the hub would refuse it: a chart of another role's work
            found = await self._session.call(self, api.chart(self._hub, name, self.hours))
            if found is None:
                break
            loaded[name] = bars(found)
        self.charts, self.busy = loaded, False
