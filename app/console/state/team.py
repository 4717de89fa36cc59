"""The team (admin only): every member of staff with their role, whether they may sign
in and when they last did; adding a member, a new role, deactivating or reactivating, and
ending a member's sign-ins. The hub checks every call (the `staff` scope, and that the
caller holds the scopes of the roles involved); a refused add keeps what was typed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import flet as ft
from pydantic import ValidationError

from app.console import staff_api as api
from app.console.state.board import quietly
from app.console.state.console import ConsoleState
from app.console.state.errors import Failure
from app.schemas.staff import StaffChangeIn, StaffIn, StaffMember, StaffRole


@dataclass(frozen=True)
class NewMember:
    """The add form, as typed."""

    email: str = ""
    name: str = ""
    role: StaffRole = StaffRole.agent

    def wire(self) -> StaffIn:
        return StaffIn(email=self.email.strip(), name=self.name.strip(), role=self.role)


@dataclass(frozen=True)
class Done:
    """What the last action did, for the line under the form: `what` is a catalog key
    (`team_done_<what>`), `member` whom it was done to, `count` how many sign-ins ended."""

    what: str
    member: str
    count: int = 0


Asked = Literal["deactivate", "end_sign_ins"]


@dataclass(frozen=True)
class Asking:
    """An action on a member, asked once more before it is done (it cannot be taken back
    unnoticed: the member is out at once)."""

    member: str  # the member's id
    what: Asked


def wrong_fields(error: ValidationError) -> list[str]:
    """The add form's fields the shared wire model refused (as the hub would)."""
    return sorted({str(e["loc"][-1]) for e in error.errors() if e["loc"]})


def active_first(members: list[StaffMember]) -> list[StaffMember]:
    """Members who may sign in first, each group by name."""
    return sorted(members, key=lambda m: (m.disabled, m.name.casefold(), m.email))


class TeamState(ft.Observable):
    def __init__(self, console: ConsoleState) -> None:
        self._hub = console.client
        self._session = console.session
        self.members: list[StaffMember] = []
        self.new = NewMember()
        self.wrong: list[str] = []  # fields of the add form to correct
        self.busy = False
        self.done: Done | None = None
        self.error: Failure | None = None
        self.asking: Asking | None = None

    @property
    def me(self) -> str | None:
        """The signed-in member's id: their own row offers no role change or deactivation
        (it would end the sign-in they are using)."""
        staff = self._session.staff
        return staff.id if staff else None

    async def load(self) -> None:
        self.busy = True
        found = await self._session.call(self, api.members(self._hub))
        if found is not None:
            self.members = active_first(found)
        self.busy = False

    def type_new(self, **typed: str) -> None:
        """What was typed into the add form's text fields (by field name)."""
        quietly(self, "new", replace(self.new, **typed))  # type: ignore[arg-type]

    def choose_role(self, role: str) -> None:
        self.new = replace(self.new, role=StaffRole(role))

    async def add(self) -> None:
        self.done, self.error = None, None
        try:
            wire = self.new.wire()
        except ValidationError as error:
            self.wrong = wrong_fields(error)
            return
        self.wrong, self.busy = [], True
        added = await self._session.call(self, api.add_member(self._hub, wire))
        self.busy = False
        if added is not None:
            self.new = NewMember(role=self.new.role)
            self.done = Done("added", added.name)
            await self.load()

    async def change(self, member: StaffMember, change: StaffChangeIn, what: str) -> None:
        self.done, self.busy = None, True
        changed = await self._session.call(self, api.change_member(self._hub, member.id, change))
        self.busy = False
        if changed is not None:
            self.done = Done(what, changed.name)
            await self.load()

    async def set_role(self, member: StaffMember, role: str) -> None:
        if role != member.role.value:
            await self.change(member, StaffChangeIn(role=StaffRole(role)), "role")

    async def deactivate(self, member: StaffMember) -> None:
        await self.change(member, StaffChangeIn(disabled=True), "deactivated")

    async def reactivate(self, member: StaffMember) -> None:
        await self.change(member, StaffChangeIn(disabled=False), "reactivated")

    async def end_sign_ins(self, member: StaffMember) -> None:
        self.done, self.busy = None, True
        ended = await self._session.call(self, api.end_sign_ins(self._hub, member.id))
        self.busy = False
        if ended is not None:
            self.done = Done("signed_out", member.name, ended.ended)

    def ask(self, member: StaffMember, what: Asked) -> None:
        """Deactivate or "End sign-ins" was chosen: the member's row asks first."""
        self.done, self.asking = None, Asking(member.id, what)

    def cancel(self) -> None:
        """Not after all: everything stays as it was."""
        self.asking = None

    async def confirm(self) -> None:
        """Do what was asked, to the member as they are listed now."""
        asking, self.asking = self.asking, None
        found = next((m for m in self.members if asking and m.id == asking.member), None)
        if asking is None or found is None:
            return
        if asking.what == "deactivate":
            await self.deactivate(found)
        else:
            await self.end_sign_ins(found)
