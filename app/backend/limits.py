"""Request size limits and rate limits (per hub process, in memory)."""

from __future__ import annotations

import math
import threading
import time
from collections import deque

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.backend.problems import PROBLEM_JSON, ProblemError
from app.backend.settings import RateLimit
from app.schemas import Problem


class RateLimiter:
    """Sliding-window counters: `hit` raises 429 with Retry-After once a key is over."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hits: dict[tuple[str, str], deque[float]] = {}

    def hit(self, bucket: str, key: str, limit: RateLimit, cost: int = 1) -> None:
        """Count `cost` hits at once (all or none). A cost above the window's count takes
        the whole window, so a request that large still goes through once it is empty."""
        # Deliberate: a push of up to 100 mutations must go through even under a lower
        # limit an operator sets, or that client's outbox would be stuck for good.
        cost = max(1, min(cost, limit.count))
        moment = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault((bucket, key), deque())
            while hits and hits[0] <= moment - limit.seconds:
                hits.popleft()
            if len(hits) + cost > limit.count:
                # Wait until enough of the oldest hits leave the window to make room.
                needed = min(len(hits) + cost - limit.count, len(hits))
                wait = limit.seconds - (moment - hits[needed - 1]) if needed else limit.seconds
                retry = max(1, math.ceil(wait))
                raise ProblemError(
                    429,
                    "Too many requests",
                    f"Try again in {retry} seconds.",
                    slug="rate-limited",
                    headers={"Retry-After": str(retry)},
                )
            hits.extend([moment] * cost)
            if len(self._hits) > 100_000:
                self._forget_idle(moment)

    def _forget_idle(self, moment: float) -> None:
        stale = [k for k, v in self._hits.items() if not v or v[-1] < moment - 3600]
        for key in stale:
            del self._hits[key]


SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    # The hub serves data, never pages: nothing in a response may load or run anything.
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
]


class RequestGuard:
    """Plain ASGI middleware in front of the app:
    - bodies over the limit get 413 before the app reads them (also when chunked);
    - a NUL character in the URL gets 400 (no database stores it; JSON text with one is
      refused by the wire models);
    - every response carries the security headers, and an answer to a request with
      credentials that says nothing about caching is `private, no-store`."""

    def __init__(self, app: ASGIApp, *, max_json: int, max_upload: int) -> None:
        self.app = app
        self.max_json = max_json
        self.max_upload = max_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        content_type = headers.get(b"content-type", b"")
        is_upload = content_type.startswith(b"multipart/")
        limit = self.max_upload + 64_000 if is_upload else self.max_json
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _refuse(send, 413, "Request too large", f"Bodies are limited to {limit} bytes.")
            return
        url = scope.get("raw_path", b"") + b"?" + scope.get("query_string", b"")
        if b"\x00" in url or b"%00" in url:
            await _refuse(send, 400, "Bad request", "The address contains a NUL character.")
            return
        seen = 0

        async def guarded_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                seen += len(chunk)
                if seen > limit:
                    # Re-raised by FastAPI's body parsing and answered as problem+json.
                    raise HTTPException(413, f"Bodies are limited to {limit} bytes.")
            return message

        authenticated = b"authorization" in headers

        async def secured_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in SECURITY_HEADERS if n not in present]
                if authenticated and b"cache-control" not in present:
                    # One customer's answer must never be served to another by a shared
                    # cache (a CDN rule that caches everything); public documents set
                    # their own Cache-Control.
                    extra.append((b"cache-control", b"private, no-store"))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, guarded_receive, secured_send)


async def _refuse(send: Send, status: int, title: str, detail: str) -> None:
    problem = Problem(
        type="/problems/too-large" if status == 413 else "about:blank",
        title=title,
        status=status,
        detail=detail,
    )
    body = problem.model_dump_json(exclude_none=True).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(body)).encode()),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
