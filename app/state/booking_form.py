"""The booking form: queue, as soon as possible or a time slot (the picker's free times,
`CallbackTimes`), phone number, note and booking reference; and which callback the
picker is moving, if any.

A request the device cannot store (disk full, read-only) is refused with an error code
('storage_full', ...) in `errors['form']`, and the fields keep what was typed."""

from __future__ import annotations

import asyncio
from datetime import datetime, tzinfo

from pydantic import ValidationError

from app.schemas import CallbackMode, CallbackQueue
from app.schemas.booking import BookingRefError, check_booking_ref
from app.schemas.localized import localized
from app.schemas.status import StatusPage
from app.state.callback_times import CallbackTimes
from app.state.phone import DEFAULT_COUNTRY, to_e164
from app.state.runtime import DeviceRuntime
from app.state.storage import refused_code
from app.store import StorageError


class BookingForm(CallbackTimes):
    def __init__(
        self, runtime: DeviceRuntime, zone: tzinfo | None = None, locale: str = "en"
    ) -> None:
        super().__init__(runtime, zone)
        self.locale = locale  # the queues' names are shown in it where translated
        self.queues: list[CallbackQueue] = []
        # The company (the number it calls from, how it asks for a booking reference).
        self.company: StatusPage | None = None
        self.mode = CallbackMode.asap
        self.country = runtime.personal.account.preference("phone_country") or DEFAULT_COUNTRY
        self.phone = runtime.personal.account.preference("phone") or ""
        self.errors: dict[str, str] = {}
        # Rescheduling one callback: its local id.
        self.rescheduling: str | None = None

    async def load(self) -> None:
        runtime = self._runtime
        queues = await asyncio.to_thread(runtime.public.content.queues)
        self.queues = [localized(q, self.locale) for q in queues]
        self.company = await asyncio.to_thread(runtime.public.content.company)

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
        await super().fetch_slots(queue_id)
        if self.asap_closed() and self.rescheduling is None:
            self.mode = CallbackMode.slot  # the only choice left: the time picker opens
        elif self.slots_first() and self.rescheduling is None and self.slot is None:
            # Over capacity: the picker opens first, on the next opening's day when the
            # wait may run past closing (ASAP stays a choice).
            self.mode = CallbackMode.slot
            late = self.asap_past_closing()
            opening = late[1] if late else None
            if opening is not None and opening.astimezone(self.zone).date() in self.days():
                self.day = opening.astimezone(self.zone).date()

    def choose_mode(self, mode: CallbackMode) -> None:
        if mode is CallbackMode.asap and self.asap_closed():
            return  # not selectable while the queue is closed
        self.mode = mode
        self.errors = {k: v for k, v in self.errors.items() if k != "slot"}

    def choose_slot(self, start: datetime) -> None:
        super().choose_slot(start)
        self.errors = {k: v for k, v in self.errors.items() if k != "slot"}

    def choose_country(self, region: str) -> None:
        self.country = region

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
