"""Free callback times for the slot picker: each queue's availability from the hub, the
days (in the customer's time zone) that have a free slot, the picker's row of days, the
chosen day and time, and what the hub said about 'as soon as possible'.

Each answer is kept in the public store: without the hub (offline, or the hub down) the
picker shows the last one seen, "as of" when it came, even after a restart. Times that
have passed (or are too soon for the queue's notice) are never offered; a time taken
since is refused by the hub with the nearest free times, as any full slot is."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, date, datetime, timedelta, tzinfo

import flet as ft

from app.api import HubError
from app.schemas import AsapEstimate, Availability, Slot
from app.state.account import problem_code
from app.state.runtime import DeviceRuntime
from app.state.zone import local_zone
from app.store import StorageError

log = logging.getLogger("careline.callbacks")

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
        # When the hub gave each answer held, and for those shown because the hub could
        # not be asked again (last seen), that time.
        self._fetched_at: dict[str, datetime] = {}
        self.seen_at: dict[str, datetime] = {}

    async def fetch_slots(self, queue_id: str | None = None) -> None:
        """Ask the hub for the queue's free times; while it answers, and when it cannot,
        show the last ones seen."""
        queue = queue_id or self.queue_id
        if queue is None:
            return
        self.slots_loading, self.slots_error = True, None
        if queue not in self.availability:
            await self._last_seen(queue)
        try:
            found = await self._runtime.client.availability(queue, limit=SLOTS_PER_FETCH)
        except HubError as error:
            self.slots_error = problem_code(error)
            if queue in self._fetched_at:
                self.seen_at = {**self.seen_at, queue: self._fetched_at[queue]}
        else:
            await self._keep(queue, found)
        finally:
            self.slots_loading = False
        days = self.days(queue)
        if self.day not in days:
            self.day = days[0] if days else None
        self.first_day = 0

    async def _last_seen(self, queue: str) -> None:
        """The queue's answer kept in the store, as last seen. Its 'as soon as possible'
        estimate is old news: it is offered (a queue closed by now refuses it with the
        nearest free times), without a wait."""
        public = self._runtime.public
        try:
            seen = await asyncio.to_thread(public.free_times.last, queue)
        except StorageError:
            return
        if seen is None:
            return
        kept = seen.availability.model_copy(update={"asap": AsapEstimate(available=True)})
        self.availability = {**self.availability, queue: kept}
        self._fetched_at[queue] = seen.fetched_at
        self.seen_at = {**self.seen_at, queue: seen.fetched_at}

    async def _keep(self, queue: str, found: Availability) -> None:
        """Show the hub's answer, and keep it for when the hub cannot be asked (a device
        that refuses writes shows it all the same)."""
        fetched_at = datetime.now(UTC)
        self.availability = {**self.availability, queue: found}
        self._fetched_at[queue] = fetched_at
        self.seen_at = {k: v for k, v in self.seen_at.items() if k != queue}
        try:
            await asyncio.to_thread(self._runtime.public.free_times.keep, queue, found, fetched_at)
        except StorageError as error:
            log.info("free times of %s not kept: %s", queue, error)

    def as_of(self, queue_id: str | None = None) -> datetime | None:
        """When the free times shown came from the hub, if they are the last seen (the hub
        could not be asked since); None while they are its latest answer."""
        return self.seen_at.get(queue_id or self.queue_id or "")

    def choose_day(self, day: date) -> None:
        self.day, self.slot = day, None

    def choose_slot(self, start: datetime) -> None:
        self.slot = start

    def slots(self, queue_id: str | None = None) -> list[Slot]:
        """Free times still ahead: none that has passed, or starts sooner than the queue's
        notice allows (the hub would refuse it)."""
        found = self.availability.get(queue_id or self.queue_id or "")
        if found is None:
            return []
        earliest = datetime.now(UTC) + timedelta(minutes=found.queue.min_notice_minutes)
        return [s for s in found.slots if s.remaining > 0 and s.start >= earliest]

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

    def asap_range(self) -> tuple[int, int] | None:
        """The likely wait as (early, late) minutes, when the hub gave a range (a hub
        older than the range gives `asap_wait` alone)."""
        found = self.availability.get(self.queue_id or "")
        if found is None or not found.asap.available:
            return None
        low, high = found.asap.low_minutes, found.asap.high_minutes
        return (low, high) if low is not None and high is not None else None

    def asap_past_closing(self) -> tuple[datetime, datetime | None] | None:
        """When the wait may run past closing: the closing time and the next opening's
        first time (None if unknown); None while the call should come before closing."""
        found = self.availability.get(self.queue_id or "")
        if found is None or not found.asap.available or not found.asap.past_closing:
            return None
        if found.asap.closes_at is None:
            return None
        return found.asap.closes_at, found.asap.next_opening

    def slots_first(self) -> bool:
        """The hub says the queue is over capacity: a booked time comes first."""
        found = self.availability.get(self.queue_id or "")
        return bool(found and found.asap.available and found.asap.slots_first)

    def asap_closed(self) -> bool:
        found = self.availability.get(self.queue_id or "")
        return bool(found and not found.asap.available)

    def asap_opens_at(self) -> datetime | None:
        """When a closed queue takes 'as soon as possible' calls again, if the hub said."""
        found = self.availability.get(self.queue_id or "")
        return found.asap.opens_at if found and not found.asap.available else None
