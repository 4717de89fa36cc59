"""The browser's staff sign-in: email, then the emailed code, then the member of staff
and what their role may use; sign-out revokes the token at the hub. Any call that finds
the token expired or revoked (401) ends the sign-in here, with a notice saying why."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable
from typing import Protocol, TypeVar

import flet as ft

from app.api.errors import HubError
from app.console.client import ConsoleClient
from app.console.sessions import BrowserSessions
from app.console.state.errors import Failure, failure
from app.schemas.staff import StaffMember

T = TypeVar("T")


class Reports(Protocol):
    """A state object that shows what went wrong with its last call."""

    error: Failure | None


class SessionState(ft.Observable):
    def __init__(self, client: ConsoleClient, sessions: BrowserSessions, key: str) -> None:
        self._client = client
        self._sessions = sessions
        self._key = key
        held = sessions.get(key)
        self.staff: StaffMember | None = held.staff if held else None
        self.locale = "en"
        self.step = "email"  # email -> code
        self.email = ""
        self.attempt = ""
        self.busy = False
        self.error: Failure | None = None
        # Why the sign-in screen is back: "expired" (401) or "signed_out".
        self.notice: str | None = None

    def can(self, scope: str | None) -> bool:
        return scope is None or (self.staff is not None and scope in self.staff.scopes)

    async def start(self, email: str) -> None:
        self.busy, self.error, self.notice = True, None, None
        try:
            started = await self._client.start_staff_sign_in(email.strip(), self.locale)
        except HubError as error:
            self.error = failure(error)
        except ValueError:  # not an email address (the wire model refuses it)
            self.error = Failure("bad_email")
        else:
            self.email, self.attempt, self.step = email.strip(), started.attempt, "code"
        finally:
            self.busy = False

    async def verify(self, code: str) -> None:
        self.busy, self.error = True, None
        try:
            session = await self._client.verify_staff_sign_in(
                self.email, self.attempt, code.strip()
            )
        except HubError as error:
            self.error = failure(error)
        except ValueError:
            self.error = Failure("bad_code")
        else:
            self._sessions.keep(self._key, session)
            self.staff, self.step = session.staff, "email"
        finally:
            self.busy = False

    def use_another_email(self) -> None:
        self.step, self.error = "email", None

    async def sign_out(self) -> None:
        # Gone already, or the hub is down: this browser forgets it all the same.
        with contextlib.suppress(HubError):
            await self._client.sign_out()
        self._sessions.forget(self._key)
        self.staff, self.notice, self.error = None, "signed_out", None

    def expire(self) -> None:
        self._sessions.forget(self._key)
        self.staff, self.notice, self.step = None, "expired", "email"

    async def call(self, target: Reports, work: Awaitable[T]) -> T | None:
        """`work`'s answer, or None with `target.error` saying what went wrong; a 401
        ends the sign-in."""
        target.error = None
        try:
            return await work
        except HubError as error:
            found = failure(error)
            if found.code == "expired":
                self.expire()
            target.error = found
            return None
