"""Operator API for the console's Callbacks screen: the day's board, and a queue's
staffing and opening hours as they are set (the PUT routes that change them are in
`admin`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from app.backend.crud import board, queues
from app.backend.deps import HubDep, require_scope
from app.backend.problems import ProblemError
from app.backend.slots import zone
from app.schemas import ProblemField
from app.schemas.admin import HoursIn
from app.schemas.console import CallbackBoard, StaffingInterval

router = APIRouter(prefix="/v1/admin", tags=["operator"])
CallbacksScope = Depends(require_scope("callbacks"))
QueuePath = Annotated[str, Path(min_length=1, max_length=100)]
# How far from today a day may be asked for: the board has nothing older or further.
DAYS_AROUND = 3660


def company_day(hub: HubDep, day: Annotated[date | None, Query()] = None) -> date:
    """`day` (a date in the company's time zone), by default today there."""
    today = datetime.now(zone(hub.settings.time_zone)).date()
    if day is None:
        return today
    if abs((day - today).days) > DAYS_AROUND:
        raise ProblemError(
            422,
            "Invalid day",
            f"Ask for a day within {DAYS_AROUND} days of today.",
            slug="validation",
            errors=[ProblemField(loc=["query", "day"], msg="out of range", type="value_error")],
        )
    return day


Day = Annotated[date, Depends(company_day)]


@router.get("/callbacks/board", response_model=CallbackBoard, dependencies=[CallbacksScope])
def callback_board(hub: HubDep, day: Day) -> CallbackBoard:
    """Per queue: the day's slots (capacity against booked), the ASAP requests waiting now
    oldest first with the wait each customer is shown, and the day's callbacks by status.
    `day` is in the company's time zone (default: today there)."""
    with hub.db.read() as conn:
        return board.callback_board(conn, day=day, time_zone=hub.settings.time_zone)


@router.get(
    "/queues/{queue_id}/staffing",
    response_model=list[StaffingInterval],
    dependencies=[CallbacksScope],
)
def queue_staffing(queue_id: QueuePath, hub: HubDep, day: Day) -> list[StaffingInterval]:
    """The staffing intervals (UTC) touching `day` in the company's time zone, as set."""
    start, end = board.day_span(day, hub.settings.time_zone)
    with hub.db.read() as conn:
        return board.staffing_on(conn, queue_id=queue_id, start=start, end=end)


@router.get("/queues/{queue_id}/hours", response_model=HoursIn, dependencies=[CallbacksScope])
def queue_hours(queue_id: QueuePath, hub: HubDep) -> HoursIn:
    """The queue's opening hours, in its own time zone (what `PUT` sets)."""
    with hub.db.read() as conn:
        found = queues.queue_from_row(queues.queue_row(conn, queue_id))
    return HoursIn(hours=found.hours)
