"""Public, CDN-cacheable JSON responses: strong ETag, 304 on `If-None-Match`."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
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


class DocumentCache:
    """Pre-built response bytes keyed by a version, so a public request that finds nothing
    new costs one small query and no JSON encoding."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[object, bytes, str]] = {}

    def get(self, name: str, version: object, build: Callable[[], Any]) -> tuple[bytes, str]:
        with self._lock:
            entry = self._entries.get(name)
        if entry is not None and entry[0] == version:
            return entry[1], entry[2]
        body = encode(build())
        tag = etag_for(body)
        with self._lock:
            self._entries[name] = (version, body, tag)
        return body, tag
