"""The Account screen's state: sign-in with an emailed code, sign-out, what is unsent."""

from __future__ import annotations

import asyncio
import contextlib
import math

import flet as ft

from app.api import HubError, Offline, RateLimited, Rejected
from app.schemas import Customer
from app.schemas.customers import SIGN_IN_CAPPED, SIGN_IN_FAILED
from app.state.push import forget_at_sign_out
from app.state.runtime import DeviceRuntime
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


def sign_in_refusal(error: HubError) -> str | None:
    """The hub's kind of refused sign-in code (`SIGN_IN_FAILED` or `SIGN_IN_CAPPED`), or
    None for anything else (such as a general rate limit)."""
    kind = error.problem.type if error.problem is not None else None
    return kind if kind in (SIGN_IN_FAILED, SIGN_IN_CAPPED) else None


class AccountState(ft.Observable):
    def __init__(self, runtime: DeviceRuntime, locale: str = "en") -> None:
        self._runtime = runtime
        # The app's language, which sign-in gives the hub (the email's, the customer's).
        self.locale = locale
        self.customer: Customer | None = None
        self.step = "email"  # email -> code
        # The email being signed in and the hub's id for this attempt: the code works
        # only together with it.
        self.email = ""
        self.attempt = ""
        self.error: str | None = None
        # A refused new code: minutes until the hub sends another.
        self.wait_minutes = 0
        # A new code went out on the code step: the screen says so.
        self.resent = False
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
        account = self._runtime.personal.account
        self.customer = await asyncio.to_thread(account.customer)
        self.unsent = await asyncio.to_thread(account.unsent_changes)

    async def send_code(self, email: str, browser_address: str | None = None) -> None:
        """Ask the hub to email a code; the next step asks for it. `browser_address`: a
        served browser's own (web mode), which the hub's sign-in limits count."""
        self.busy, self.error, self.resent = True, None, False
        try:
            started = await self._runtime.client.start_sign_in(
                email.strip(), locale=self.locale, browser_address=browser_address
            )
        except HubError as error:
            self.error = "invalid_email" if isinstance(error, Rejected) else problem_code(error)
        else:
            self.email, self.attempt = email.strip(), started.attempt
            self.step = "code"
        finally:
            self.busy = False

    async def resend_code(self, browser_address: str | None = None) -> None:
        """On the code step: ask the hub for a new code to the same email. The newest
        attempt is the one the code step verifies; refused (the hub limits how many codes
        it sends), the step keeps the attempt it had, and says how long to wait."""
        self.busy, self.error, self.resent = True, None, False
        try:
            started = await self._runtime.client.start_sign_in(
                self.email, locale=self.locale, browser_address=browser_address
            )
        except HubError as error:
            if isinstance(error, RateLimited):
                self.error = "codes_wait"
                self.wait_minutes = max(1, math.ceil((error.retry_after or 60) / 60))
            else:
                self.error = problem_code(error)
        else:
            self.attempt, self.resent = started.attempt, True
        finally:
            self.busy = False

    async def verify(self, code: str, browser_address: str | None = None) -> None:
        self.busy, self.error, self.resent = True, None, False
        try:
            session = await self._runtime.client.verify_sign_in(
                self.email,
                self.attempt,
                code.strip(),
                locale=self.locale,
                browser_address=browser_address,
            )
        except HubError as error:
            self.error = (
                "wrong_code"
                if isinstance(error, Rejected) or (error.problem and error.problem.status == 401)
                else problem_code(error)
            )
            refusal = sign_in_refusal(error) if isinstance(error, RateLimited) else None
            if refusal == SIGN_IN_FAILED:
                # Too many wrong codes: this attempt is over, only a new code can work.
                self.step, self.attempt = "email", ""
            elif refusal == SIGN_IN_CAPPED:
                # A daily cap: a new code would fail too, so stay here and say when.
                self.error = "sign_in_capped"
            return
        finally:
            self.busy = False
        account = self._runtime.personal.account
        # Signed in at the hub, but a device that refuses writes cannot keep the session.
        self.error = await try_saving(
            lambda: asyncio.to_thread(account.sign_in, session.token, session.customer)
        )
        if self.error:
            return
        self.customer = session.customer
        self.step, self.attempt = "email", ""
        self._runtime.scheduler.poke(0)
        self._runtime.live.restart()

    def use_another_email(self) -> None:
        self.step, self.error, self.resent = "email", None, False

    async def sign_out(self, *, confirmed: bool = False) -> None:
        """Sign out; with changes not yet sent, ask first (they cannot be sent after)."""
        account = self._runtime.personal.account
        self.unsent = await asyncio.to_thread(account.unsent_changes)
        if self.unsent and not confirmed:
            self.confirm_sign_out = True
            return
        await forget_at_sign_out(self._runtime)  # no more of their alerts here
        # Offline or already revoked: the device forgets the token either way.
        with contextlib.suppress(HubError):
            await self._runtime.client.sign_out()
        personal = self._runtime.personal
        self.error = await try_saving(lambda: asyncio.to_thread(personal.sign_out))
        if self.error:
            return
        self._runtime.live.restart()
        self.customer, self.confirm_sign_out, self.unsent = None, False, 0

    async def export_data(self) -> bytes | None:
        """Everything the hub holds about the customer (None, with `data_error`, when the
        hub cannot be asked)."""
        self.data_busy, self.data_error = True, None
        try:
            return await self._runtime.client.export_me()
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
            await self._runtime.client.erase_me()
        except HubError as error:
            self.data_error = problem_code(error)
            return False
        finally:
            self.data_busy = False
        await asyncio.to_thread(self._runtime.personal.erase)
        self._runtime.live.restart()
        self.customer, self.confirm_erase, self.unsent = None, False, 0
        self.erased = True
        return True
