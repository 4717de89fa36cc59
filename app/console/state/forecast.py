"""The contact forecast on the Charts screen, per queue (`GET /v1/admin/forecast`): the
contacts expected per half hour from local midnight today to 24 hours ahead beside those
that came in the half hours already started; the agents planned beside those Erlang C
needs for the hub's target, and the spans where the plan is short, in the queue's own
time zone, named when it is not the company's (the callbacks board's rule). Queue names
and the company's zone come from the board; without it, the ids and UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import flet as ft

from app.console import supervisor_api as api
from app.console.state.board import other_zone
from app.console.state.charts import Bars, scale_top
from app.console.state.console import ConsoleState
from app.console.state.errors import Failure
from app.schemas.forecast import ContactForecast, Contacts, ForecastInterval

# The operator scope the forecast needs (the hub's, like the demand chart's).
SCOPE = "callbacks"


def total(contacts: Contacts | None) -> float:
    """Callbacks in the queue, cases in the app and by email, together."""
    if contacts is None:
        return 0.0
    return contacts.callbacks + contacts.cases + contacts.email


@dataclass(frozen=True)
class Gap:
    """Consecutive half hours short by the same number of agents."""

    start: datetime
    end: datetime
    short: int


def gaps(intervals: list[ForecastInterval]) -> list[Gap]:
    """The spans where fewer agents are planned than needed, neighbours short by the same
    number joined ('14:00-15:30 short by 3')."""
    found: list[Gap] = []
    for interval in intervals:
        if interval.gap <= 0:
            continue
        last = found[-1] if found else None
        if last is not None and last.end == interval.start and last.short == interval.gap:
            found[-1] = Gap(last.start, interval.end, last.short)
        else:
            found.append(Gap(interval.start, interval.end, interval.gap))
    return found


class ForecastState(ft.Observable):
    def __init__(self, console: ConsoleState) -> None:
        self._hub = console.client
        self._session = console.session
        self.forecasts: list[ContactForecast] = []
        self.queue_id: str | None = None
        self.names: dict[str, str] = {}
        self.company_zone = ZoneInfo("UTC")
        self.busy = False
        self.error: Failure | None = None

    @property
    def allowed(self) -> bool:
        return self._session.can(SCOPE)

    @property
    def current(self) -> ContactForecast | None:
        return next((f for f in self.forecasts if f.queue == self.queue_id), None)

    @property
    def zone(self) -> ZoneInfo:
        """The chosen queue's own zone, which its times are shown in."""
        current = self.current
        return ZoneInfo(current.time_zone if current else "UTC")

    def other_zone(self) -> str | None:
        """The chosen queue's zone when it is not the company's (the screen says so)."""
        return other_zone(self.zone, self.company_zone)

    def name(self, queue_id: str) -> str:
        return self.names.get(queue_id, queue_id)

    def ahead(self) -> list[ForecastInterval]:
        """The half hours from the current one on (the next 24 hours)."""
        current = self.current
        if current is None:
            return []
        return [i for i in current.intervals if i.end > current.generated_at]

    def contacts(self) -> Bars:
        """Expected contacts per half hour beside those that came (started ones only)."""
        intervals = self.current.intervals if self.current else []
        values = [[total(i.expected), total(i.actual)] for i in intervals]
        starts = [i.start for i in intervals]
        return Bars("forecast", ["expected", "came"], starts, values, scale_top(values))

    def staffing(self) -> Bars:
        """Agents planned beside agents needed, per half hour ahead."""
        intervals = self.ahead()
        values: list[list[float]] = [[i.planned_agents, i.needed_agents] for i in intervals]
        starts = [i.start for i in intervals]
        return Bars("staffing", ["planned", "needed"], starts, values, scale_top(values))

    def gaps(self) -> list[Gap]:
        return gaps(self.ahead())

    async def load(self) -> None:
        if not self.allowed:
            return  # the hub would refuse it
        self.busy = True
        board = await self._session.call(self, api.board(self._hub))
        if board is not None:
            self.names = {q.queue_id: q.name for q in board.queues}
            self.company_zone = ZoneInfo(board.time_zone)
        found = await self._session.call(self, api.forecast(self._hub))
        if found is not None:
            self.forecasts = found
            ids = [f.queue for f in found]
            if self.queue_id not in ids:
                self.queue_id = ids[0] if ids else None
        self.busy = False

    async def choose(self, queue_id: str) -> None:
        """Another queue: its forecast afresh; refused, the queue shown stays (the hub's
        reason is shown)."""
        self.busy = True
        found = await self._session.call(self, api.forecast(self._hub, queue_id))
        if found is not None:
            fresh = {f.queue: f for f in found}
            self.forecasts = [fresh.get(f.queue, f) for f in self.forecasts]
            self.queue_id = queue_id
        self.busy = False
