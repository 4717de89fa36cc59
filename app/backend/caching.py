"""Public, CDN-cacheable JSON responses: strong ETag, 304 on `If-None-Match`."""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response

PUBLIC_CACHE_CONTROL = "public, max-age=15, stale-while-revalidate=60, stale-if-error=86400"


def encode(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def etag_for(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    candidates = {part.strip().removeprefix("W/") for part in header.split(",")}
    return "*" in candidates or etag in candidates


def cached_json(request: Request, body: bytes, etag: str | None = None) -> Response:
    """200 with the body, or 304 when the client already holds this version."""
    tag = etag or etag_for(body)
    headers = {"ETag": tag, "Cache-Control": PUBLIC_CACHE_CONTROL, "Vary": "Accept-Encoding"}
    if _matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


@dataclass(frozen=True)
class _Document:
    version: object
    body: bytes
    tag: str
    generation: int
    checked_at: float


class DocumentCache:
    """Pre-built response bytes of public documents. Within `recheck_seconds` of the last
    look at the database a request is answered from memory with no query and no thread;
    after that one small query tells whether the document changed. A write made by this
    process (`expire`) forces that look at once, so its own changes show immediately and
    other processes' within `recheck_seconds`."""

    def __init__(self, recheck_seconds: float = 0.25) -> None:
        self.recheck_seconds = recheck_seconds
        self._lock = threading.Lock()
        self._entries: dict[str, _Document] = {}
        self._generation = 0
        # The read of each document under way (on the event loop), by the generation it
        # started in.
        self._reading: dict[str, tuple[int, asyncio.Future[tuple[bytes, str]]]] = {}

    def expire(self) -> None:
        with self._lock:
            self._generation += 1

    def recent(self, name: str) -> tuple[bytes, str] | None:
        """The document when it was checked recently enough to serve without a query."""
        entry = self._entries.get(name)
        if (
            entry is None
            or entry.generation != self._generation
            or time.monotonic() - entry.checked_at > self.recheck_seconds
        ):
            return None
        return entry.body, entry.tag

    async def fresh(
        self, name: str, read: Callable[[int], Awaitable[tuple[bytes, str]]]
    ) -> tuple[bytes, str]:
        """The document, from memory when it was checked recently; else `read(generation)`
        looks at the database, once for all the requests that need it meanwhile (under
        load they would otherwise all queue for the database together). A request that
        came after a write of this process waits for a read that started after it."""
        recent = self.recent(name)
        if recent is not None:
            return recent
        generation = self._generation
        pending = self._reading.get(name)
        if pending is None or pending[0] != generation:
            pending = (generation, asyncio.ensure_future(read(generation)))
            self._reading[name] = pending
            started = pending

            def done(_: object) -> None:
                if self._reading.get(name) is started:
                    del self._reading[name]

            pending[1].add_done_callback(done)
        # A waiter that goes away (its client hung up) does not cancel the others' read.
        return await asyncio.shield(pending[1])

    def generation(self) -> int:
        """Take this before reading a document's version, and pass it to `store`, so a
        write that lands in between is never hidden."""
        return self._generation

    def store(
        self, name: str, version: object, build: Callable[[], Any], generation: int
    ) -> tuple[bytes, str]:
        """The document at `version` (read from the database just now), built only when
        the version moved."""
        checked_at = time.monotonic()
        with self._lock:
            entry = self._entries.get(name)
        if entry is None or entry.version != version:
            body = encode(build())
            entry = _Document(version, body, etag_for(body), generation, checked_at)
        else:
            entry = _Document(version, entry.body, entry.tag, generation, checked_at)
        with self._lock:
            self._entries[name] = entry
        return entry.body, entry.tag
