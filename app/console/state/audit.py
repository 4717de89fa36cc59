"""The audit log (admin only): what members of staff and operator tokens did, newest
first, narrowed to one member or one family of actions, and paged back with the hub's
cursor ("Older"). Member names come from the staff list, so an entry reads as who did
what to whom."""

from __future__ import annotations

import flet as ft

from app.console import staff_api as api
from app.console.state.console import ConsoleState
from app.console.state.errors import Failure
from app.schemas.staff import AuditEntry, StaffMember

# The action families the hub records (the part before the dot), in menu order.
FAMILIES = ["incident", "component", "case", "callback", "queue", "article", "staff", "token"]


def detail_text(entry: AuditEntry) -> str:
    """The entry's detail as 'key: value' pairs, in a stable order."""
    return ", ".join(f"{key}: {value}" for key, value in sorted(entry.detail.items()))


class AuditState(ft.Observable):
    def __init__(self, console: ConsoleState) -> None:
        self._hub = console.client
        self._session = console.session
        self.entries: list[AuditEntry] = []
        self.cursor: str | None = None  # the hub's next_cursor: there are older entries
        self.members: list[StaffMember] = []
        self.staff_id: str | None = None  # only this member's entries
        self.family: str | None = None  # only this family's ("case")
        self.busy = False
        self.error: Failure | None = None

    def name_of(self, staff_id: str | None) -> str | None:
        """A member's name from the staff list (None for an id it does not hold)."""
        return next((m.name for m in self.members if m.id == staff_id), None)

    def who(self, entry: AuditEntry) -> str:
        name = self.name_of(entry.staff_id)
        return f"{name} ({entry.actor})" if name and name != entry.actor else entry.actor

    def subject(self, entry: AuditEntry) -> str:
        """What it was done to: a member of staff by name, anything else by its id;
        nothing when it is the actor themselves (signing in or out)."""
        if entry.subject is not None and entry.subject == entry.staff_id:
            return ""
        return self.name_of(entry.subject) or entry.subject or ""

    async def _page(self, before: str | None) -> list[AuditEntry] | None:
        family = f"{self.family}." if self.family else None
        work = api.audit(self._hub, staff_id=self.staff_id, family=family, before=before)
        found = await self._session.call(self, work)
        if found is None:
            return None
        self.cursor = found.next_cursor
        return found.items

    async def load(self) -> None:
        """The newest page under the filters (and the staff list the names come from)."""
        self.busy = True
        members = await self._session.call(self, api.members(self._hub))
        if members is not None:
            self.members = sorted(members, key=lambda m: (m.name.casefold(), m.email))
            found = await self._page(None)
            if found is not None:
                self.entries = found
        self.busy = False

    async def older(self) -> None:
        """The next page back, after what is shown."""
        if self.cursor is None:
            return
        self.busy = True
        found = await self._page(self.cursor)
        if found is not None:
            self.entries = [*self.entries, *found]
        self.busy = False

    async def choose_member(self, staff_id: str) -> None:
        self.staff_id = staff_id or None
        await self.load()

    async def choose_family(self, family: str) -> None:
        self.family = family if family in FAMILIES else None
        await self.load()
