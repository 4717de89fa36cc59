"""The Account screen's state: sign-in with an emailed code, sign-out, what is unsent."""

from __future__ import annotations

import asyncio
import contextlib

import flet as ft

from app.api import HubError, Offline, RateLimited, Rejected
from app.schemas import Customer
from app.state.push import forget_at_sign_out
from app.state.services import Services
from app.state.storage import try_saving


def problem_code(error: HubError) -> str:
    """A short reason the screen can put in words."""
    if isinstance(error, Offline):
        return "offline"
    if isinstance(error, RateLimited):
        return "rate_limited"
    if isinstance(error, Rejected) or (error.problem and error.problem.status == 401):
        return "rejected"
    return "server"


class AccountState(ft.Observable):
    def __init__(self, services: Services) -> None:
        self._services = services
        self.customer: Customer | None = None
        self.step = "email"  # email -> code
        self.email = ""
        self.error: str | None = None
        self.busy = False
        self.unsent = 0
        self.confirm_sign_out = False
        # Where to go once signed in (a screen that asked the customer to sign in first).
        self.return_to: str | None = None
        # Their data: a download, and erasing the account (asked once more).
        self.data_busy = False
        self.data_error: str | None = None
        self.confirm_erase = False
        self.erased = False

    async def load(self) -> None:
        account = self._services.personal.account
        self.customer = await asyncio.to_thread(account.customer)
        self.unsent = await asyncio.to_thread(account.unsent_changes)

    async def send_code(self, email: str) -> None:
        """Ask the hub to email a code; the next step asks for it."""
        self.busy, self.error = True, None
        try:
            await self._services.client.start_sign_in(email.strip())
        except HubError as error:
            self.error = "invalid_email" if isinstance(error, Rejected) else problem_code(error)
        else:
            self.email = email.strip()
            self.step = "code"
        finally:
            self.busy = False

    async def verify(self, code: str) -> None:
        self.busy, self.error = True, None
        try:
            session = await self._services.client.verify_sign_in(self.email, code.strip())
        except HubError as error:
            self.error = (
                "wrong_code"
                if isinstance(error, Rejected) or (error.problem and error.problem.status == 401)
                else problem_code(error)
            )
            return
        finally:
            self.busy = False
        account = self._services.personal.account
        # Signed in at the hub, but a device that refuses writes cannot keep the session.
        self.error = await try_saving(
            lambda: asyncio.to_thread(account.sign_in, session.token, session.customer)
        )
        if self.error:
            return
        self.customer = session.customer
        self.step = "email"
        self._services.scheduler.poke(0)
        self._services.live.restart()

    def use_another_email(self) -> None:
        self.step, self.error = "email", None

    async def sign_out(self, *, confirmed: bool = False) -> None:
        """Sign out; with changes not yet sent, ask first (they cannot be sent after)."""
        account = self._services.personal.account
        self.unsent = await asyncio.to_thread(account.unsent_changes)
        if self.unsent and not confirmed:
            self.confirm_sign_out = True
            return
        await forget_at_sign_out(self._services)  # no more of their alerts here
        # Offline or already revoked: the device forgets the token either way.
        with contextlib.suppress(HubError):
            await self._services.client.sign_out()
        personal = self._services.personal
        self.error = await try_saving(lambda: asyncio.to_thread(personal.sign_out))
        if self.error:
            return
        self._services.live.restart()
        self.customer, self.confirm_sign_out, self.unsent = None, False, 0

    async def export_data(self) -> bytes | None:
        """Everything the hub holds about the customer (None, with `data_error`, when the
        hub cannot be asked)."""
        self.data_busy, self.data_error = True, None
        try:
            return await self._services.client.export_me()
        except HubError as error:
            self.data_error = problem_code(error)
            return None
        finally:
            self.data_busy = False

    async def erase_account(self, *, confirmed: bool = False) -> bool:
        """Erase the account on the hub, then everything personal on this device. Needs
        the hub: offline, nothing is erased and `data_error` says why."""
        if not confirmed:
            self.confirm_erase = True
            return False
        self.data_busy, self.data_error = True, None
        try:
            await self._services.client.erase_me()
        except HubError as error:
            self.data_error = problem_code(error)
            return False
        finally:
            self.data_busy = False
        await asyncio.to_thread(self._services.personal.erase)
        self._services.live.restart()
        self.customer, self.confirm_erase, self.unsent = None, False, 0
        self.erased = True
        return True
