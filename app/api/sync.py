"""The customer's sync: pulling their changes, pushing the outbox's mutations, the live
event stream, and uploading the files a case carries."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import quote

import httpx

from app.api.connection import HubConnection
from app.api.errors import Offline, RateLimited, Rejected, TimedOut, error_for
from app.api.events import Replaced, StreamItem, read_stream
from app.schemas import Attachment, ChangeFeed, MutationIn, PushRequest, PushResponse


class SyncCalls(HubConnection):
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
            headers["Authorization"] = self._bearer()
        if after is not None:
            headers["Last-Event-ID"] = str(after)
        timeout = httpx.Timeout(10.0, read=45.0)
        path = "/v1/events/public" if public else "/v1/events"
        try:
            async with self._http.stream("GET", path, headers=headers, timeout=timeout) as response:
                if response.status_code >= 400:
                    await response.aread()
                    raise error_for(response)
                async for item in read_stream(response.aiter_lines()):
                    if isinstance(item, Replaced):  # a newer stream took this one's place
                        raise RateLimited(f"GET {path}: replaced", retry_after=item.retry)
                    yield item
        except httpx.TimeoutException as error:
            raise TimedOut(f"GET {path}: no heartbeat in time") from error
        except httpx.TransportError as error:
            raise Offline(f"GET {path}: {error.__class__.__name__}") from error

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

    async def download(self, attachment_id: str) -> bytes:
        """A file of the customer's case thread (theirs or an agent's), with their token
        in the header; `Rejected` (404) for any other."""
        path = f"/v1/attachments/{quote(attachment_id, safe='')}"
        response = await self._request("GET", path, auth=True)
        return response.content
