"""Free callback times for the slot picker: each queue's availability from the hub, the
days (in the customer's time zone) that have a free slot, the picker's row of days, the
chosen day and time, and what the hub said about 'as soon as possible'."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

import flet as ft

from app.api import HubError
from app.schemas import Availability, Slot
from app.state.account import problem_code
from app.state.runtime import DeviceRuntime
from app.state.zone import local_zone

SLOTS_PER_FETCH = 500  # a queue's whole booking horizon
DAYS_SHOWN = 5  # days in the picker's row at once; "Earlier days" / "Later days" move it
# Parts of the day the picker groups free times by: (name, first hour), in local time.
PARTS_OF_DAY = (("morning", 0), ("afternoon", 12), ("evening", 17))


class CallbackTimes(ft.Observable):
    def __init__(self, runtime: DeviceRuntime, zone: tzinfo | None = None) -> None:
        self._runtime = runtime
        self.zone = zone or local_zone()
        self.queue_id: str | None = None  # the queue whose times are shown
        self.day: date | None = None
        self.slot: datetime | None = None
        # Free times by queue, kept so a customer who goes offline can still choose.
        self.availability: dict[str, Availability] = {}
        self.slots_loading = False
        self.slots_error: str | None = None
        self.first_day = 0  # index of the first day the picker's row shows

    async def fetch_slots(self, queue_id: str | None = None) -> None:
        queue = queue_id or self.queue_id
        if queue is None:
            return
        self.slots_loading, self.slots_error = True, None
        try:
            found = await self._runtime.client.availability(queue, limit=SLOTS_PER_FETCH)
        except HubError as error:
            self.slots_error = problem_code(error)
        else:
            self.availability = {**self.availability, queue: found}
        finally:
            self.slots_loading = False
        days = self.days(queue)
        if self.day not in days:
            self.day = days[0] if days else None
        self.first_day = 0

    def choose_day(self, day: date) -> None:
        self.day, self.slot = day, None

    def choose_slot(self, start: datetime) -> None:
        self.slot = start

    def slots(self, queue_id: str | None = None) -> list[Slot]:
        found = self.availability.get(queue_id or self.queue_id or "")
        return [s for s in found.slots if s.remaining > 0] if found else []

    def days(self, queue_id: str | None = None) -> list[date]:
        """Days (in the customer's time zone) that have a free slot."""
        return sorted({s.start.astimezone(self.zone).date() for s in self.slots(queue_id)})

    def slots_on(self, day: date | None, queue_id: str | None = None) -> list[Slot]:
        return [s for s in self.slots(queue_id) if s.start.astimezone(self.zone).date() == day]

    def shown_days(self) -> list[date]:
        """The days the picker's row shows now (DAYS_SHOWN of them)."""
        days = self.days()
        return days[self.first_day : self.first_day + DAYS_SHOWN]

    def has_earlier_days(self) -> bool:
        return self.first_day > 0

    def has_later_days(self) -> bool:
        return self.first_day + DAYS_SHOWN < len(self.days())

    def earlier_days(self) -> None:
        self._move_days(max(0, self.first_day - DAYS_SHOWN))

    def later_days(self) -> None:
        if self.has_later_days():
            self._move_days(self.first_day + DAYS_SHOWN)

    def _move_days(self, first: int) -> None:
        """Show other days; their first one is chosen, so its times are what shows."""
        self.first_day = first
        shown = self.shown_days()
        if shown and self.day not in shown:
            self.choose_day(shown[0])

    def slot_groups(self, day: date | None) -> list[tuple[str, list[Slot]]]:
        """Every free time of `day`, grouped by part of the day (in the customer's zone),
        parts without a free time left out."""
        groups: list[tuple[str, list[Slot]]] = []
        bounds = [*(hour for _, hour in PARTS_OF_DAY[1:]), 24]
        for (name, first), last in zip(PARTS_OF_DAY, bounds, strict=True):
            found = [
                s for s in self.slots_on(day) if first <= s.start.astimezone(self.zone).hour < last
            ]
            if found:
                groups.append((name, found))
        return groups

    def asap_wait(self) -> int | None:
        """Minutes to wait for an 'as soon as possible' call, when the hub said."""
        found = self.availability.get(self.queue_id or "")
        return found.asap.wait_minutes if found and found.asap.available else None

    def asap_closed(self) -> bool:
        found = self.availability.get(self.queue_id or "")
        return bool(found and not found.asap.available)

    def asap_opens_at(self) -> datetime | None:
        """When a closed queue takes 'as soon as possible' calls again, if the hub said."""
        found = self.availability.get(self.queue_id or "")
        return found.asap.opens_at if found and not found.asap.available else None
