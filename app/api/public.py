"""Calls anyone may make: the status document, the help centre, votes, callback queues
and their free times."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.api.connection import HubConnection
from app.schemas import ArticleVote, Availability, CallbackQueue, ChangeFeed, Page, StatusSnapshot
from app.schemas.common import format_time
from app.schemas.console import SearchGapsIn


class PublicCalls(HubConnection):
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

    async def search_gaps(self, gaps: SearchGapsIn, *, key: str) -> None:
        """Counts of help searches that found nothing, sent without the customer's token
        (nothing ties them to anyone); `key` makes a batch sent again count once."""
        await self._request(
            "POST",
            "/v1/search-gaps",
            json=gaps.model_dump(mode="json"),
            headers={"Idempotency-Key": key},
        )

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
