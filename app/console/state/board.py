"""Callbacks: today's board per queue (slots against capacity, the ASAP waiting list,
outcomes), marking a waiting callback, and the staffing editor (agents per interval and
the queue's opening hours). A refused save keeps what was typed and says the hub's reason."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import flet as ft

from app.console import supervisor_api as api
from app.console.state.console import ConsoleState
from app.console.state.errors import Failure
from app.schemas.admin import HoursIn, StaffingIn
from app.schemas.callbacks import CallbackStatus
from app.schemas.console import CallbackBoard, QueueBoard

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# What a supervisor may mark a waiting callback as (a call that nobody answered is missed).
OUTCOMES = (CallbackStatus.completed, CallbackStatus.missed, CallbackStatus.cancelled)
_RANGE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d\s*-\s*(([01]\d|2[0-3]):[0-5]\d|24:00)$")


@dataclass(frozen=True)
class StaffingRow:
    """One interval of the day in the editor: its times (UTC) and the agents as typed."""

    starts_at: datetime
    ends_at: datetime
    agents: str
    saved: int

    @property
    def changed(self) -> bool:
        return self.agents.strip() != str(self.saved)


def hours_text(ranges: list[list[str]]) -> str:
    """[['08:00', '12:00'], ['13:00', '18:00']] -> '08:00-12:00, 13:00-18:00'."""
    return ", ".join(f"{start}-{end}" for start, end in ranges)


def parse_hours(texts: dict[str, str]) -> tuple[HoursIn | None, list[str]]:
    """The hours typed per weekday, or the weekdays whose text is not 'HH:MM-HH:MM, ...'."""
    hours: dict[str, list[list[str]]] = {}
    wrong: list[str] = []
    for day in WEEKDAYS:
        parts = [p.strip() for p in texts.get(day, "").split(",") if p.strip()]
        if not all(_RANGE.match(p) for p in parts):
            wrong.append(day)
            continue
        hours[day] = [[t.strip() for t in p.split("-")] for p in parts]
    return (None if wrong else HoursIn(hours=hours)), wrong


def parse_agents(text: str) -> int | None:
    value = text.strip()
    return int(value) if value.isdigit() and int(value) <= 10_000 else None


@dataclass(frozen=True)
class NewInterval:
    """Staffing for a span of the board's day, as typed (local times, 'HH:MM')."""

    start: str = ""
    end: str = ""
    agents: str = ""


_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")


def local_span(day: date, zone: ZoneInfo, start: str, end: str) -> tuple[datetime, datetime] | None:
    """'HH:MM' to 'HH:MM' on `day` in `zone`, in UTC ('24:00' is the day's end); None when
    a time is not 'HH:MM' or the span is empty."""
    if not (_TIME.match(start.strip()) and _TIME.match(end.strip())):
        return None

    def moment(text: str) -> datetime:
        hours, minutes = (int(p) for p in text.strip().split(":"))
        local = datetime.combine(day, time(0), tzinfo=zone) + timedelta(
            hours=hours, minutes=minutes
        )
        return local.astimezone(UTC)

    begins, ends = moment(start), moment(end)
    return (begins, ends) if begins < ends else None


def other_zone(queue: ZoneInfo, company: ZoneInfo) -> str | None:
    """`queue`'s name when it is not `company`'s zone, else None."""
    return None if queue.key == company.key else queue.key


def quietly(state: ft.Observable, name: str, value: object) -> None:
    """Keep what was typed without re-rendering: a render while keys are still arriving
    would push the field's older value back into it, and those keys would be lost."""
    object.__setattr__(state, name, value)


class BoardState(ft.Observable):
    def __init__(self, console: ConsoleState) -> None:
        self._hub = console.client
        self._session = console.session
        self.board: CallbackBoard | None = None
        self.queue_id: str | None = None
        self.rows: list[StaffingRow] = []
        self.hours: dict[str, str] = {}
        self.wrong_hours: list[str] = []
        self.wrong_agents: list[int] = []
        self.new_interval = NewInterval()
        self.busy = False
        self.saved = False
        self.error: Failure | None = None

    @property
    def queue(self) -> QueueBoard | None:
        queues = self.board.queues if self.board else []
        return next((q for q in queues if q.queue_id == self.queue_id), None)

    @property
    def company_zone(self) -> ZoneInfo:
        """The zone the board's day is in (the company's)."""
        return ZoneInfo(self.board.time_zone if self.board else "UTC")

    @property
    def zone(self) -> ZoneInfo:
        """The zone the chosen queue's times are shown and typed in: its own."""
        queue = self.queue
        return ZoneInfo(queue.time_zone) if queue is not None else self.company_zone

    def local(self, moment: datetime) -> str:
        return moment.astimezone(self.zone).strftime("%H:%M")

    def other_zone(self) -> str | None:
        """The chosen queue's zone when it is not the company's (the screen names it)."""
        return other_zone(self.zone, self.company_zone)

    async def load(self, day: date | None = None) -> None:
        self.busy = True
        found = await self._session.call(self, api.board(self._hub, day))
        if found is not None:
            self.board = found
            ids = [q.queue_id for q in found.queues]
            if self.queue_id not in ids:
                self.queue_id = ids[0] if ids else None
            await self._load_staffing()
        self.busy = False

    async def shift(self, days: int) -> None:
        """The board of another day (the staffing editor follows)."""
        if self.board is not None:
            self.saved, self.wrong_agents = False, []
            await self.load(self.board.day + timedelta(days=days))

    async def choose(self, queue_id: str) -> None:
        self.queue_id, self.saved, self.wrong_hours, self.wrong_agents = queue_id, False, [], []
        await self._load_staffing()

    async def _load_staffing(self) -> None:
        """The editor's rows: the agents set per interval touching the day, as set."""
        queue, board = self.queue, self.board
        if queue is None or board is None:
            self.rows, self.hours = [], {}
            return
        intervals = await self._session.call(
            self, api.staffing(self._hub, queue.queue_id, board.day)
        )
        opening = await self._session.call(self, api.hours(self._hub, queue.queue_id))
        if intervals is None or opening is None:
            return
        self.rows = [
            StaffingRow(i.starts_at, i.ends_at, str(i.agents), i.agents) for i in intervals
        ]
        self.hours = {day: hours_text(opening.hours.get(day, [])) for day in WEEKDAYS}

    def type_agents(self, index: int, text: str) -> None:
        rows = [replace(r, agents=text) if i == index else r for i, r in enumerate(self.rows)]
        quietly(self, "rows", rows)

    def type_new(self, **typed: str) -> None:
        quietly(self, "new_interval", replace(self.new_interval, **typed))

    async def add_interval(self) -> None:
        """PUT the typed span's agents (replacing what overlapped it); a refusal keeps it."""
        self.saved, typed, board = False, self.new_interval, self.board
        span = local_span(board.day, self.zone, typed.start, typed.end) if board else None
        agents = parse_agents(typed.agents)
        self.wrong_agents = [-1] if span is None or agents is None else []
        if span is None or agents is None or self.queue_id is None:
            return
        self.busy = True
        sent = StaffingIn(starts_at=span[0], ends_at=span[1], agents=agents)
        done = await self._session.call(self, self._put(sent))
        self.busy = False
        if done:
            self.new_interval, self.saved = NewInterval(), True
            await self._reload_board()
            await self._load_staffing()

    def type_hours(self, day: str, text: str) -> None:
        quietly(self, "hours", {**self.hours, day: text})

    async def save_staffing(self) -> None:
        """PUT each changed interval; stops at the first refusal, keeping every input."""
        self.saved = False
        self.wrong_agents = [i for i, r in enumerate(self.rows) if parse_agents(r.agents) is None]
        if self.wrong_agents or self.queue_id is None:
            return
        self.busy = True
        for index, row in enumerate(self.rows):
            agents = parse_agents(row.agents)
            if not row.changed or agents is None:
                continue
            sent = StaffingIn(starts_at=row.starts_at, ends_at=row.ends_at, agents=agents)
            if await self._session.call(self, self._put(sent)) is None:
                self.busy = False
                return
            self.rows[index] = replace(row, saved=agents)
        self.busy, self.saved = False, True
        await self._reload_board()
        await self._load_staffing()

    async def _put(self, sent: StaffingIn) -> bool:
        await api.set_staffing(self._hub, self.queue_id or "", sent)
        return True

    async def save_hours(self) -> None:
        self.saved = False
        parsed, self.wrong_hours = parse_hours(self.hours)
        if parsed is None or self.queue_id is None:
            return
        self.busy = True
        done = await self._session.call(self, self._put_hours(parsed))
        self.busy, self.saved = False, done is not None
        if done:
            await self._reload_board()

    async def _put_hours(self, hours: HoursIn) -> bool:
        await api.set_hours(self._hub, self.queue_id or "", hours)
        return True

    async def mark(self, callback_id: str, status: CallbackStatus) -> None:
        if await self._session.call(self, api.set_callback_status(self._hub, callback_id, status)):
            await self._reload_board()

    async def _reload_board(self) -> None:
        day = self.board.day if self.board else None
        found = await self._session.call(self, api.board(self._hub, day))
        if found is not None:
            self.board = found
