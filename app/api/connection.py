"""The connection every hub call goes through: one httpx.AsyncClient (HTTP/1.1, bounded
timeouts), the customer's token when a call needs it, every failure as a `HubError`, and
answers checked against their model. It never retries on its own (the sync engine
decides)."""

from __future__ import annotations

import platform
from collections.abc import Callable, Mapping
from typing import Any, Self, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from app import __version__
from app.api.errors import Offline, ServerError, TimedOut, Unauthorized, error_for

M = TypeVar("M", bound=BaseModel)
# The app and the system it runs on: what the customer's list of sign-ins shows.
USER_AGENT = f"careline-app/{__version__} ({platform.system() or 'unknown'})"
DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
# An idle connection is dropped by the app before the far end closes it: uvicorn (and many
# proxies) close after 5 s, and a request sent down a connection as it closes is lost.
KEEPALIVE_EXPIRY = 4.0


def forwarded_for(browser_address: str | None) -> dict[str, str] | None:
    """Names a served browser's own address, which the hub's limits count (not the app
    server's)."""
    return {"X-Forwarded-For": browser_address} if browser_address else None


class HubConnection:
    def __init__(
        self,
        base_url: str,
        *,
        token: Callable[[], str | None] = lambda: None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        limits: httpx.Limits | None = None,
    ) -> None:
        self._token = token
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            timeout=timeout,
            transport=transport,
            headers={"User-Agent": USER_AGENT},
            http1=True,
            http2=False,
            limits=limits
            or httpx.Limits(
                max_connections=100, max_keepalive_connections=20, keepalive_expiry=KEEPALIVE_EXPIRY
            ),
        )
        self._owns_http = True

    def for_token(self, token: Callable[[], str | None]) -> Self:
        """A client for another customer that shares this one's connections (an app
        server holds one per browser); closing it leaves the connections open."""
        other = object.__new__(type(self))
        other._token = token
        other._http = self._http
        other._owns_http = False
        return other

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    def _bearer(self) -> str:
        """The signed-in customer's `Authorization` header value."""
        token = self._token()
        if not token:
            raise Unauthorized("not signed in")
        return f"Bearer {token}"

    async def _request(
        self,
        method: str,
        path: str,
        *,
        auth: bool = False,
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        sent = dict(headers or {})
        if auth:
            sent["Authorization"] = self._bearer()
        try:
            response = await self._http.request(method, path, headers=sent, **kwargs)
        except httpx.TimeoutException as error:
            raise TimedOut(f"{method} {path}: no answer in time") from error
        except httpx.TransportError as error:
            raise Offline(f"{method} {path}: {error.__class__.__name__}") from error
        if response.status_code >= 400:
            raise error_for(response)
        return response

    @staticmethod
    def _parse(model: type[M], response: httpx.Response) -> M:
        try:
            return model.model_validate_json(response.content)
        except ValidationError as error:
            raise ServerError(
                f"unexpected answer from the hub: {error.error_count()} invalid fields"
            ) from error
