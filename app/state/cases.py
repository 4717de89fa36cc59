"""The Cases screens' state: the customer's cases, the new-case form (with files and the
help articles that may answer it), and one case's thread with its reply box.

A case or reply the device cannot store (disk full, read-only) is refused with an error
code ('storage_full', ...) and the form keeps what was typed and picked."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import flet as ft
from pydantic import ValidationError

from app.schemas import Category
from app.schemas.booking import BookingRefError, BookingRefField, check_booking_ref
from app.state.attachments import FileTickets, FileUnavailable, ThreadFile, keep_on_device
from app.state.case_drafts import CaseDrafts, reply_key
from app.state.help import ArticleCase
from app.state.runtime import DeviceRuntime
from app.state.storage import refused_code
from app.store import StorageError
from app.store.records import CaseRecord, MessageRecord, SearchHit
from app.store.uploads import AttachmentError, NewFile

SUGGESTIONS = 3
GENERAL = "general"
MAX_SUBJECT = 200
MAX_BODY = 20_000


def text_errors(fields: dict[str, tuple[str, int]]) -> dict[str, str]:
    """'required' or 'too_long' per field that is empty or longer than its limit."""
    errors = {}
    for name, (value, limit) in fields.items():
        if not value.strip():
            errors[name] = "required"
        elif len(value.strip()) > limit:
            errors[name] = "too_long"
    return errors


class CasesState(ft.Observable):
    def __init__(self, runtime: DeviceRuntime, locale: str = "en") -> None:
        self._runtime = runtime
        self._generation = 0
        self.locale = locale
        self.cases: list[CaseRecord] = []
        self.current: CaseRecord | None = None
        self.current_id: str | None = None
        # The new-case form.
        self.categories: list[Category] = []
        self.suggestions: list[SearchHit] = []
        self.files: list[NewFile] = []
        self.file_errors: list[str] = []
        self.errors: dict[str, str] = {}
        self._form: str | None = None
        # How the company asks for a booking reference (None: it does not).
        self.booking_field: BookingRefField | None = None
        # The reply box of the open case, and the refused reply being edited.
        self.reply_files: list[NewFile] = []
        self.reply_error: str | None = None
        self.editing: str | None = None
        # Close the open case: asked once more before it is done.
        self.confirm_close = False
        # What was typed and not sent, per form and per case.
        self.drafts = CaseDrafts()
        # A served app's one-time file addresses (None: files open on this device).
        self.tickets: FileTickets | None = None
        self.file_error: str | None = None

    async def load(self) -> None:
        runtime = self._runtime
        customer = await asyncio.to_thread(runtime.personal.account.customer)
        self.drafts.for_customer(customer.id if customer else None)
        self.cases = await asyncio.to_thread(runtime.personal.cases.list)
        self.categories = await asyncio.to_thread(runtime.public.content.categories, self.locale)
        company = await asyncio.to_thread(runtime.public.content.company)
        self.booking_field = company.booking_ref if company else None
        if self.current_id is not None:
            self.current = await asyncio.to_thread(runtime.personal.cases.get, self.current_id)

    @property
    def shown_route(self) -> str | None:
        """The open case's route as its live updates name it: none until the hub has it."""
        case = self.current
        return f"/cases/{case.server_id}" if case and case.server_id else None

    @property
    def unread(self) -> int:
        return sum(c.unread for c in self.cases)

    # The new-case form.

    def start_case(self, draft: str | None = None) -> None:
        """The new-case form opens: empty, or back to the `draft` it showed last, with
        the files picked for it."""
        if draft is None or draft != self._form:
            self.files, self.file_errors, self.errors = [], [], {}
        self._form = draft
        self.suggestions = []

    def topic(self, category: str) -> str:
        """The case topic for a help article's category: the same one when cases have it,
        else general."""
        return category if any(c.id == category for c in self.categories) else GENERAL

    def article_case(self, about: ArticleCase, *, subject: str, reference: str) -> dict[str, str]:
        """What the form of a case about an article that did not help starts with; the view
        writes `subject` and `reference` in the customer's language. A case has no field for
        an article, so the description names it after what the customer said: the agent
        sees which article failed."""
        description = "\n\n".join(text for text in (about.comment, reference) if text)
        return {
            "subject": " ".join(subject.split())[:MAX_SUBJECT],
            "category": self.topic(about.category),
            "description": description,
        }

    async def suggest(self, text: str) -> None:
        """Help articles that may answer what the customer is typing (newest text wins)."""
        self._generation += 1
        generation = self._generation
        found = (
            await asyncio.to_thread(
                self._runtime.public.search.search,
                text,
                locale=self.locale,
                limit=SUGGESTIONS,
            )
            if len(text.strip()) >= 3
            else []
        )
        if generation == self._generation:
            self.suggestions = found

    def add_files(self, picked: list[tuple[str, bytes]], *, reply: bool = False) -> None:
        """Check picked files as the hub will; refused ones are named with the reason."""
        accepted, errors = [], []
        for filename, data in picked:
            try:
                accepted.append(NewFile.checked(filename, data))
            except AttachmentError as error:
                errors.append(f"{error.code}:{filename}")
        if reply:
            self.reply_files = [*self.reply_files, *accepted]
        else:
            self.files = [*self.files, *accepted]
        self.file_errors = errors

    def remove_file(self, index: int, *, reply: bool = False) -> None:
        if reply:
            self.reply_files = [f for i, f in enumerate(self.reply_files) if i != index]
        else:
            self.files = [f for i, f in enumerate(self.files) if i != index]

    async def submit(
        self,
        *,
        subject: str,
        description: str,
        category: str | None,
        incident_id: str | None = None,
        draft: str | None = None,
        booking_ref: str = "",
    ) -> str | None:
        """Open the case (queued for the hub); returns its local id, or None with `errors`
        saying what to fix. The form keeps what was typed either way; once sent, its
        `draft` is gone."""
        self.errors = text_errors(
            {"subject": (subject, MAX_SUBJECT), "description": (description, MAX_BODY)}
        )
        field = self.booking_field
        reference = None
        try:
            reference = check_booking_ref(booking_ref, field.pattern if field else None)
        except BookingRefError:
            self.errors = {**self.errors, "booking_ref": "invalid_booking_ref"}
        if self.errors:
            return None
        try:
            local_id = await asyncio.to_thread(
                self._runtime.personal.cases.open,
                subject=subject,
                description=description,
                category=category or GENERAL,
                files=self.files,
                incident_id=incident_id,
                booking_ref=reference,
            )
        except ValidationError:
            self.errors = {"files": "too_many_files"}
            return None
        except StorageError as error:
            self.errors = {"form": refused_code(error)}
            return None
        if draft is not None:
            self.drafts.clear(draft)
        self.start_case()
        await self.load()
        self._runtime.scheduler.poke()
        return local_id

    # One case.

    async def open_case(self, case_id: str) -> None:
        """Show a case (by local id, server id or number) and mark its replies read."""
        runtime = self._runtime
        self.current_id = case_id
        found = await asyncio.to_thread(runtime.personal.cases.get, case_id)
        if found is not None and found.unread:
            try:
                await asyncio.to_thread(runtime.personal.cases.mark_read, found.local_id)
            except StorageError:
                pass  # a full disk: the replies stay marked new, the case still shows
            else:
                found = await asyncio.to_thread(runtime.personal.cases.get, case_id)
                self.cases = await asyncio.to_thread(runtime.personal.cases.list)
        self.current = found
        self.reply_files, self.reply_error, self.editing = [], None, None
        self.confirm_close, self.file_error = False, None

    async def open_file(self, item: Mapping[str, Any]) -> str | None:
        """Where to open a file of the thread: in a served app, the browser's one-time
        download address; else the file fetched into the device's folder (a file URL).
        None, with `file_error`, when it cannot be had now."""
        file = ThreadFile.of(item)
        self.file_error = None
        if self.tickets is not None:
            return self.tickets.issue(self._runtime, file)
        try:
            return (await keep_on_device(self._runtime, file)).as_uri()
        except FileUnavailable as error:
            self.file_error = error.code
            return None

    async def reply(self, body: str) -> bool:
        """Send a reply with the picked files; False with `reply_error` if it can't be."""
        if self.current is None:
            return False
        self.reply_error = text_errors({"body": (body, MAX_BODY)}).get("body")
        if self.reply_error:
            return False
        try:
            await asyncio.to_thread(
                self._runtime.personal.cases.reply,
                self.current.local_id,
                body,
                self.reply_files,
            )
        except ValidationError:
            self.reply_error = "too_many_files"
            return False
        except StorageError as error:
            self.reply_error = refused_code(error)
            return False
        self.reply_files = []
        self.drafts.clear(reply_key(self.current.local_id))
        await self._sent()
        return True

    async def retry(self, message: MessageRecord, body: str | None = None) -> bool:
        """Send a refused reply again, as it was or edited (it keeps its files). False
        when the edited text is empty or too long."""
        if self.current is None:
            return False
        text = message.body if body is None else body
        if text_errors({"body": (text, MAX_BODY)}):
            return False
        try:
            await asyncio.to_thread(
                self._runtime.personal.cases.reply,
                self.current.local_id,
                text,
                message_id=message.id,
            )
        except StorageError as error:
            self.reply_error = refused_code(error)
            return False
        self.reply_error = None
        self.editing = None
        await self._sent()
        return True

    def edit(self, message_id: str | None) -> None:
        """Edit a refused reply in place (None: stop editing)."""
        self.editing = message_id

    async def _sent(self) -> None:
        await self.load()
        self._runtime.scheduler.poke()

    def ask_close(self, asking: bool = True) -> None:
        """Ask once more before closing the open case (False: keep it open)."""
        self.confirm_close = asking

    async def set_email_replies(self, on: bool) -> None:
        """Have agents' replies on the open case mailed to the customer too (or not)."""
        if self.current is None:
            return
        store = self._runtime.personal.cases
        try:
            await asyncio.to_thread(store.set_email_replies, self.current.local_id, on)
        except StorageError as error:
            self.reply_error = refused_code(error)
            return
        await self.load()
        self._runtime.scheduler.poke()

    async def close_case(self) -> bool:
        """Close the open case; False (with `reply_error`) when it could not be stored."""
        self.confirm_close = False
        if self.current is None:
            return False
        try:
            await asyncio.to_thread(self._runtime.personal.cases.close, self.current.local_id)
        except StorageError as error:
            self.reply_error = refused_code(error)
            return False
        await self.load()
        self._runtime.scheduler.poke()
        return True
