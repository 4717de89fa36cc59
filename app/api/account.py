"""The customer's account: signing in and out, the customer's own data, and where they
are signed in."""

from __future__ import annotations

from urllib.parse import quote

from app.api.connection import HubConnection, forwarded_for
from app.schemas import AuthStarted, Session
from app.schemas.sessions import SignIn, SignInList, SignInsEnded


class AccountCalls(HubConnection):
    # Sign-in.

    async def start_sign_in(
        self, email: str, *, locale: str | None = None, browser_address: str | None = None
    ) -> AuthStarted:
        """Ask for an emailed code (in `locale`, the app's language); the answer's
        `attempt` goes with the code to `verify_sign_in`. `browser_address`: a served
        browser's own, which the hub's sign-in limits count (as for alert devices)."""
        response = await self._request(
            "POST",
            "/v1/auth/start",
            json={"email": email, "locale": locale},
            headers=forwarded_for(browser_address),
        )
        return self._parse(AuthStarted, response)

    async def verify_sign_in(
        self,
        email: str,
        attempt: str,
        code: str,
        *,
        locale: str | None = None,
        browser_address: str | None = None,
    ) -> Session:
        """The session for an attempt's code; the customer's language becomes `locale`."""
        response = await self._request(
            "POST",
            "/v1/auth/verify",
            json={"email": email, "attempt": attempt, "code": code, "locale": locale},
            headers=forwarded_for(browser_address),
        )
        return self._parse(Session, response)

    async def sign_out(self) -> None:
        await self._request("POST", "/v1/auth/logout", auth=True)

    # The customer's own data.

    async def export_me(self) -> bytes:
        """Everything the hub holds about the customer, as a JSON document."""
        response = await self._request("GET", "/v1/me/export", auth=True)
        return response.content

    async def erase_me(self) -> None:
        await self._request("DELETE", "/v1/me", auth=True)

    # The customer's sign-ins (sessions).

    async def my_sessions(self) -> list[SignIn]:
        """The customer's live sign-ins, most recently used first; `current` is this one."""
        response = await self._request("GET", "/v1/me/sessions", auth=True)
        return self._parse(SignInList, response).items

    async def end_session(self, session_id: str) -> None:
        await self._request("DELETE", f"/v1/me/sessions/{quote(session_id, safe='')}", auth=True)

    async def end_other_sessions(self) -> int:
        """Sign out everywhere else; how many sign-ins ended."""
        response = await self._request("DELETE", "/v1/me/sessions", auth=True)
        return self._parse(SignInsEnded, response).ended
