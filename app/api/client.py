"""HubClient: typed calls of protocol v1. It never retries on its own (the sync engine
decides), uses HTTP/1.1 and bounded timeouts, and turns every failure into `HubError`."""

from __future__ import annotations

import platform
from collections.abc import AsyncIterator, Callable, Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from app import __version__
from app.api.errors import (
    HubError,
    Offline,
    RateLimited,
    Rejected,
    ServerError,
    TimedOut,
    Unauthorized,
)
from app.api.events import Replaced, StreamItem, read_stream
from app.schemas import (
    AlertDeviceCreated,
    AlertDeviceIn,
    AlertDeviceUpdate,
    ArticleVote,
    Attachment,
    AuthStarted,
    Availability,
    CallbackQueue,
    ChangeFeed,
    DeviceClaim,
    DeviceClaimed,
    MutationIn,
    Page,
    Problem,
    PushRequest,
    PushResponse,
    Session,
    StatusSnapshot,
    Subscriptions,
)
from app.schemas.common import format_time
from app.schemas.sessions import SignIn, SignInList, SignInsEnded

M = TypeVar("M", bound=BaseModel)
# The app and the system it runs on: what the customer's list of sign-ins shows.
USER_AGENT = f"careline-app/{__version__} ({platform.system() or 'unknown'})"
DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)


def _forwarded_for(browser_address: str | None) -> dict[str, str] | None:
    return {"X-Forwarded-For": browser_address} if browser_address else None


def retry_after_seconds(value: str | None) -> float | None:
    """`Retry-After` as seconds: a number, or an HTTP date."""
    if not value:
        return None
    if value.strip().isascii() and value.strip().isdigit():
        return float(value.strip())
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - datetime.now(moment.tzinfo)).total_seconds())


class HubClient:
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
            limits=limits or httpx.Limits(max_connections=100, max_keepalive_connections=20),
        )
        self._owns_http = True

    def for_token(self, token: Callable[[], str | None]) -> HubClient:
        """A client for another customer that shares this one's connections (an app
        server holds one per browser); closing it leaves the connections open."""
        other = object.__new__(HubClient)
        other._token = token
        other._http = self._http
        other._owns_http = False
        return other

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

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
            token = self._token()
            if not token:
                raise Unauthorized("not signed in")
            sent["Authorization"] = f"Bearer {token}"
        try:
            response = await self._http.request(method, path, headers=sent, **kwargs)
        except httpx.TimeoutException as error:
            raise TimedOut(f"{method} {path}: no answer in time") from error
        except httpx.TransportError as error:
            raise Offline(f"{method} {path}: {error.__class__.__name__}") from error
        if response.status_code >= 400:
            raise _error_for(response)
        return response

    @staticmethod
    def _parse(model: type[M], response: httpx.Response) -> M:
        try:
            return model.model_validate_json(response.content)
        except ValidationError as error:
            raise ServerError(
                f"unexpected answer from the hub: {error.error_count()} invalid fields"
            ) from error

    # Public content.

    async def status(self, etag: str | None = None) -> tuple[StatusSnapshot | None, str | None]:
        """The status document, or None when it has not changed since `etag` (304)."""
        headers = {"If-None-Match": etag} if etag else {}
        response = await self._request("GET", "/v1/status", headers=headers)
        if response.status_code == 304:
            return None, etag
        return self._parse(StatusSnapshot, response), response.headers.get("etag")

    async def kb_changes(self, cursor: str | None, limit: int = 500) -> ChangeFeed:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        return self._parse(ChangeFeed, await self._request("GET", "/v1/kb/changes", params=params))

    async def vote(self, vote: ArticleVote) -> None:
        """'Was this helpful?', counted at once without an account."""
        await self._request("POST", "/v1/kb/feedback", json=vote.model_dump(mode="json"))

    async def queues(
        self, etag: str | None = None
    ) -> tuple[list[CallbackQueue] | None, str | None]:
        """The callback queues, or None when they have not changed since `etag` (304)."""
        headers = {"If-None-Match": etag} if etag else {}
        response = await self._request("GET", "/v1/callbacks/queues", headers=headers)
        if response.status_code == 304:
            return None, etag
        return self._parse(Page[CallbackQueue], response).items, response.headers.get("etag")

    async def availability(
        self,
        queue: str,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 100,
    ) -> Availability:
        params: dict[str, Any] = {"queue": queue, "limit": limit}
        if start:
            params["from"] = format_time(start)
        if end:
            params["to"] = format_time(end)
        response = await self._request("GET", "/v1/callbacks/availability", params=params)
        return self._parse(Availability, response)

    # Sign-in.

    async def start_sign_in(self, email: str, *, browser_address: str | None = None) -> AuthStarted:
        """Ask for an emailed code; the answer's `attempt` goes with the code to
        `verify_sign_in`. `browser_address`: a served browser's own, which the hub's
        sign-in limits count (as for alert devices)."""
        response = await self._request(
            "POST",
            "/v1/auth/start",
            json={"email": email},
            headers=_forwarded_for(browser_address),
        )
        return self._parse(AuthStarted, response)

    async def verify_sign_in(
        self, email: str, attempt: str, code: str, *, browser_address: str | None = None
    ) -> Session:
        response = await self._request(
            "POST",
            "/v1/auth/verify",
            json={"email": email, "attempt": attempt, "code": code},
            headers=_forwarded_for(browser_address),
        )
        return self._parse(Session, response)

    async def sign_out(self) -> None:
        await self._request("POST", "/v1/auth/logout", auth=True)

    # The customer's sync.

    async def pull(self, cursor: str | None, limit: int = 500, *, own: bool = True) -> ChangeFeed:
        """The customer's changes after `cursor`: their own only, or (`own=False`) with
        public content too."""
        params = {"limit": limit, "scope": "own" if own else "all"}
        if cursor:
            params["cursor"] = cursor
        try:
            response = await self._request("GET", "/v1/sync/pull", params=params, auth=True)
        except Rejected as error:
            if error.problem is not None and error.problem.status == 410:
                return ChangeFeed(cursor="", has_more=True, reset=True, changes=[])
            raise
        return self._parse(ChangeFeed, response)

    async def push(self, client_id: str, mutations: list[MutationIn]) -> PushResponse:
        body = PushRequest(client_id=client_id, mutations=mutations).model_dump(mode="json")
        response = await self._request("POST", "/v1/sync/push", json=body, auth=True)
        return self._parse(PushResponse, response)

    async def events(self, *, after: int | None, public: bool = False) -> AsyncIterator[StreamItem]:
        """The customer's live events (`public`: every incident, for an app without a
        sign-in), resumed after event `after` (from now when None). Ends when the hub
        closes the stream; a read timeout longer than the hub's 15 s heartbeat notices a
        dead connection. RateLimited (with the wait the hub asks for) when the hub ended
        it for a newer stream of this customer or address."""
        headers = {"Accept": "text/event-stream"}
        if not public:
            token = self._token()
            if not token:
                raise Unauthorized("not signed in")
            headers["Authorization"] = f"Bearer {token}"
        if after is not None:
            headers["Last-Event-ID"] = str(after)
        timeout = httpx.Timeout(10.0, read=45.0)
        path = "/v1/events/public" if public else "/v1/events"
        try:
            async with self._http.stream("GET", path, headers=headers, timeout=timeout) as response:
                if response.status_code >= 400:
                    await response.aread()
                    raise _error_for(response)
                async for item in read_stream(response.aiter_lines()):
                    if isinstance(item, Replaced):  # a newer stream took this one's place
                        raise RateLimited(f"GET {path}: replaced", retry_after=item.retry)
                    yield item
        except httpx.TimeoutException as error:
            raise TimedOut(f"GET {path}: no heartbeat in time") from error
        except httpx.TransportError as error:
            raise Offline(f"GET {path}: {error.__class__.__name__}") from error

    # Alerts on this device (Web Push).

    async def push_key(self) -> str:
        """The hub's VAPID public key a browser subscribes with."""
        response = await self._request("GET", "/v1/push/key")
        key = response.json().get("public_key") if response.content else None
        if not isinstance(key, str):
            raise ServerError("unexpected answer from the hub: no push key")
        return key

    async def register_alert_device(
        self, device: AlertDeviceIn, *, browser_address: str | None = None
    ) -> AlertDeviceCreated:
        """Alerts without an account. An app server names the browser's address, so the
        hub limits each browser, not the server."""
        headers = {"X-Forwarded-For": browser_address} if browser_address else None
        body = device.model_dump(mode="json")
        response = await self._request("POST", "/v1/alerts/devices", json=body, headers=headers)
        return self._parse(AlertDeviceCreated, response)

    async def follow_with_alert_device(
        self, device_id: str, secret: str, follows: Subscriptions
    ) -> None:
        body = AlertDeviceUpdate(follows=follows).model_dump(mode="json")
        headers = {"Authorization": f"Device {secret}"}
        await self._request("PUT", f"/v1/alerts/devices/{device_id}", json=body, headers=headers)

    async def end_alert_device(self, device_id: str, secret: str) -> None:
        headers = {"Authorization": f"Device {secret}"}
        await self._request("DELETE", f"/v1/alerts/devices/{device_id}", headers=headers)

    async def claim_device(self, device_id: str, secret: str) -> DeviceClaimed:
        body = DeviceClaim(id=device_id, secret=secret).model_dump(mode="json")
        response = await self._request("POST", "/v1/me/devices", json=body, auth=True)
        return self._parse(DeviceClaimed, response)

    async def stop_device(self, device_id: str) -> None:
        """No more pushes to this device of the signed-in customer's."""
        await self._request("DELETE", f"/v1/me/devices/{device_id}", auth=True)

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

    async def upload(
        self, filename: str, content_type: str, data: bytes, *, key: str | None = None
    ) -> Attachment:
        """Upload a file; with `key`, uploading it again returns the same attachment."""
        files = {"file": (filename, data, content_type)}
        headers = {"Idempotency-Key": key} if key else None
        response = await self._request(
            "POST", "/v1/attachments", files=files, headers=headers, auth=True
        )
        return self._parse(Attachment, response)


def _error_for(response: httpx.Response) -> HubError:
    problem: Problem | None
    try:
        problem = Problem.model_validate_json(response.content)
    except ValidationError:
        problem = None
    status = response.status_code
    detail = (problem.detail or problem.title) if problem else response.reason_phrase
    message = f"{status} {detail}"
    retry = retry_after_seconds(response.headers.get("retry-after"))
    if problem is None:
        problem = Problem(title=response.reason_phrase or "Error", status=status)
    if status == 401:
        return Unauthorized(message, problem=problem)
    if status == 429:
        return RateLimited(message, problem=problem, retry_after=retry)
    if status >= 500:
        return ServerError(message, problem=problem, retry_after=retry)
    return Rejected(message, problem=problem)
