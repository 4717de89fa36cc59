"""The Callbacks screens' state: the customer's callbacks, and the booking form (queue, as
soon as possible or a time slot, phone number), with cancel, reschedule, and the nearest
free times when the hub refuses a slot.

A request or change the device cannot store (disk full, read-only) is refused with an
error code ('storage_full', ...): in `errors['form']` for the booking form, whose fields
keep what was typed, and in `action_error` for a change to a callback."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo

import flet as ft
from pydantic import ValidationError

from app.api import HubError
from app.schemas import Availability, CallbackMode, CallbackQueue, Slot
from app.schemas.booking import BookingRefError, check_booking_ref
from app.schemas.common import parse_time
from app.schemas.localized import localized
from app.schemas.status import StatusPage
from app.state.account import problem_code
from app.state.calendar import CalendarEvent, calendar_text
from app.state.phone import DEFAULT_COUNTRY, to_e164
from app.state.runtime import DeviceRuntime
from app.state.storage import refused_code, try_saving
from app.state.zone import local_zone
from app.store import StorageError
from app.store.records import CallbackRecord

SLOTS_PER_FETCH = 500  # a queue's whole booking horizon
DAYS_SHOWN = 5  # days in the picker's row at once; "Earlier days" / "Later days" move it
# Parts of the day the picker groups free times by: (name, first hour), in local time.
PARTS_OF_DAY = (("morning", 0), ("afternoon", 12), ("evening", 17))


class CallbacksState(ft.Observable):
    def __init__(
        self, runtime: DeviceRuntime, zone: tzinfo | None = None, locale: str = "en"
    ) -> None:
        self._runtime = runtime
        self.zone = zone or local_zone()
        self.locale = locale  # the queues' names are shown in it where translated
        self.queues: list[CallbackQueue] = []
        self.callbacks: list[CallbackRecord] = []
        # The company (the number it calls from, how it asks for a booking reference).
        self.company: StatusPage | None = None
        # The booking form.
        self.queue_id: str | None = None
        self.mode = CallbackMode.asap
        self.day: date | None = None
        self.slot: datetime | None = None
        self.country = runtime.personal.account.preference("phone_country") or DEFAULT_COUNTRY
        self.phone = runtime.personal.account.preference("phone") or ""
        self.errors: dict[str, str] = {}
        # Free times by queue, kept so a customer who goes offline can still choose.
        self.availability: dict[str, Availability] = {}
        self.slots_loading = False
        self.slots_error: str | None = None
        self.first_day = 0  # index of the first day the picker's row shows
        # Rescheduling one callback: its local id.
        self.rescheduling: str | None = None
        # Why the last cancel, move or dismissal could not be stored (None: it was).
        self.action_error: str | None = None

    async def load(self) -> None:
        runtime = self._runtime
        queues = await asyncio.to_thread(runtime.public.content.queues)
        self.queues = [localized(q, self.locale) for q in queues]
        self.company = await asyncio.to_thread(runtime.public.content.company)
        self.callbacks = await asyncio.to_thread(runtime.personal.callbacks.list)

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

    # The booking form.

    async def start_booking(self, queue_id: str | None = None) -> None:
        """A fresh form for `queue_id` (or the first queue), with its free times."""
        await self.load()
        known = [q.id for q in self.queues]
        self.queue_id = queue_id if queue_id in known else (known[0] if known else None)
        self.mode, self.day, self.slot, self.errors = CallbackMode.asap, None, None, {}
        self.rescheduling = None
        await self.fetch_slots()

    async def choose_queue(self, queue_id: str) -> None:
        self.queue_id, self.day, self.slot = queue_id, None, None
        await self.fetch_slots()

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
        if self.asap_closed() and self.rescheduling is None:
            self.mode = CallbackMode.slot  # the only choice left: the time picker opens

    def choose_mode(self, mode: CallbackMode) -> None:
        if mode is CallbackMode.asap and self.asap_closed():
            return  # not selectable while the queue is closed
        self.mode = mode
        self.errors = {k: v for k, v in self.errors.items() if k != "slot"}

    def choose_day(self, day: date) -> None:
        self.day, self.slot = day, None

    def choose_slot(self, start: datetime) -> None:
        self.slot = start
        self.errors = {k: v for k, v in self.errors.items() if k != "slot"}

    def choose_country(self, region: str) -> None:
        self.country = region

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

    async def book(
        self, phone: str, note: str = "", booking_ref: str = "", language: str | None = None
    ) -> str | None:
        """Queue the request the form describes, in the customer's `language` (a BCP 47
        tag); returns its local id, or None with `errors` saying what to fix (what was
        typed stays in the form)."""
        errors: dict[str, str] = {}
        number = to_e164(phone, self.country)
        if number is None:
            errors["phone"] = "invalid_phone"
        reference = None
        try:
            reference = check_booking_ref(booking_ref, self.booking_pattern())
        except BookingRefError:
            errors["booking_ref"] = "invalid_booking_ref"
        if self.queue_id is None:
            errors["queue"] = "choose_queue"
        if self.mode is CallbackMode.slot and self.slot is None:
            errors["slot"] = "choose_slot"
        self.errors = errors
        if errors or number is None or self.queue_id is None:
            return None
        runtime = self._runtime
        try:
            local_id = await asyncio.to_thread(
                runtime.personal.callbacks.request,
                queue_id=self.queue_id,
                mode=self.mode,
                phone=number,
                slot_start=self.slot if self.mode is CallbackMode.slot else None,
                note=note.strip() or None,
                booking_ref=reference,
                language=language,
            )
        except ValidationError as error:
            fields = {str(e["loc"][0]) for e in error.errors() if e["loc"]}
            self.errors = {"note": "note_too_long"} if "note" in fields else {"form": "invalid"}
            return None
        except StorageError as error:
            self.errors = {"form": refused_code(error)}
            return None
        self.phone = phone.strip()
        try:  # remembered for the next booking, if the disk takes it
            await asyncio.to_thread(
                runtime.personal.account.set_preference, "phone_country", self.country
            )
            await asyncio.to_thread(runtime.personal.account.set_preference, "phone", self.phone)
        except StorageError:
            pass
        await self.load()
        self._runtime.scheduler.poke()
        return local_id

    def booking_pattern(self) -> str | None:
        field = self.company.booking_ref if self.company else None
        return field.pattern if field else None

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
