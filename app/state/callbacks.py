"""The Callbacks screens' state: the customer's callbacks, with cancel, reschedule, and
the nearest free times when the hub refuses a slot; and the booking form
(`BookingForm`, with the slot picker's free times of `CallbackTimes`).

A change to a callback the device cannot store (disk full, read-only) is refused with an
error code ('storage_full', ...) in `action_error`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo

from app.schemas import CallbackMode
from app.schemas.common import parse_time
from app.state.booking_form import BookingForm
from app.state.calendar import CalendarEvent, calendar_text
from app.state.runtime import DeviceRuntime
from app.state.storage import try_saving
from app.store.records import CallbackRecord


class CallbacksState(BookingForm):
    def __init__(
        self, runtime: DeviceRuntime, zone: tzinfo | None = None, locale: str = "en"
    ) -> None:
        super().__init__(runtime, zone, locale)
        self.callbacks: list[CallbackRecord] = []
        # Why the last cancel, move or dismissal could not be stored (None: it was).
        self.action_error: str | None = None

    async def load(self) -> None:
        await super().load()
        self.callbacks = await asyncio.to_thread(self._runtime.personal.callbacks.list)

    @property
    def upcoming(self) -> list[CallbackRecord]:
        """Calls still to come, and those with a refusal to answer."""
        return [c for c in self.callbacks if c.active or c.error]

    @property
    def past(self) -> list[CallbackRecord]:
        return [c for c in self.callbacks if not (c.active or c.error)]

    def queue_name(self, queue_id: str) -> str:
        return next((q.name for q in self.queues if q.id == queue_id), queue_id)

    def callback(self, callback_id: str) -> CallbackRecord | None:
        return next((c for c in self.callbacks if callback_id in (c.local_id, c.server_id)), None)

    # The customer's callbacks.

    def window(self, callback: CallbackRecord) -> tuple[datetime, datetime] | None:
        """When a callback at a chosen time may ring: its slot (None for 'as soon as
        possible')."""
        if callback.slot_start is None or callback.mode is not CallbackMode.slot:
            return None
        start = parse_time(callback.slot_start)
        queue = next((q for q in self.queues if q.id == callback.queue_id), None)
        return start, start + timedelta(minutes=queue.slot_minutes if queue else 30)

    def caller_number(self) -> str | None:
        return self.company.caller_number if self.company else None

    def calendar_file(
        self, callback: CallbackRecord, *, summary: str, description: str, alarm: str
    ) -> bytes | None:
        """The callback as an .ics file for the customer's calendar (None without a time)."""
        window = self.window(callback)
        if window is None:
            return None
        event = CalendarEvent(
            uid=f"{callback.local_id}@careline",
            start=window[0],
            end=window[1],
            summary=summary,
            description=description,
            alarm_text=alarm,
        )
        return calendar_text(event).encode("utf-8")

    async def _change(self, work: Callable[[], object]) -> bool:
        """Store a change to a callback (in a worker thread) and sync soon; False with
        `action_error` when the device refused it."""
        self.action_error = await try_saving(lambda: asyncio.to_thread(work))
        if self.action_error:
            return False
        await self.load()
        self._runtime.scheduler.poke()
        return True

    async def cancel(self, local_id: str) -> bool:
        runtime = self._runtime
        return await self._change(lambda: runtime.personal.callbacks.cancel(local_id))

    async def start_reschedule(self, local_id: str) -> None:
        found = self.callback(local_id)
        if found is None:
            return
        self.rescheduling, self.slot = local_id, None
        self.queue_id = found.queue_id
        await self.fetch_slots(found.queue_id)

    def stop_reschedule(self) -> None:
        self.rescheduling, self.slot = None, None

    async def reschedule(self, local_id: str, start: datetime) -> bool:
        runtime = self._runtime
        if not await self._change(lambda: runtime.personal.callbacks.reschedule(local_id, start)):
            return False  # the picker stays open on the chosen time
        self.rescheduling, self.slot = None, None
        return True

    async def take_alternative(self, local_id: str, start: str) -> str:
        """Book one of the free times the hub offered after refusing a slot. A refused
        request is asked again for that time; a refused move is moved there. Returns the
        callback's local id (the same one, with `action_error`, if the device refused)."""
        found = self.callback(local_id)
        if found is None:
            raise KeyError(local_id)
        slot = parse_time(start)
        runtime = self._runtime
        if found.server_id is not None:
            await self.reschedule(local_id, slot)
            return local_id
        made: list[str] = []

        def ask_again() -> None:
            made.append(runtime.personal.callbacks.request_again(local_id, slot))

        return made[0] if await self._change(ask_again) else local_id

    async def dismiss(self, local_id: str) -> bool:
        runtime = self._runtime
        return await self._change(lambda: runtime.personal.callbacks.discard(local_id))
