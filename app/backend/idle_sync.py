"""A signed-in sync with nothing new, answered for about what a 304 on the status costs.

Most syncs of a quiet day find nothing new. While the hub process holds the caller's
token check and knows the change feed's latest number (`listen_caches.py`: PostgreSQL
with LISTEN up), `GET /v1/sync/pull` at that number is answered here, in front of the
router: no query, no worker thread, no dependency solving. Anything else (a token not
held, one due its last-use stamp, an operator token, an unusual query) goes on to the
route, which answers it in full."""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from app.backend.crud import sessions
from app.backend.deps import bearer_token
from app.backend.hub import Hub
from app.backend.util import digest
from app.schemas import ChangeFeed

PATH = "/v1/sync/pull"
_QUERY = frozenset({"cursor", "limit", "scope"})
_MAX_LIMIT = 1000  # as the route's `FeedLimit`


def nothing_new(hub: Hub, after: int) -> bytes | None:
    """The empty page at `after` when it is the feed's latest number, as far as this
    process knows for sure; None when it does not know."""
    if not after or hub.changes.known() != after:
        return None
    empty = ChangeFeed(cursor=str(after), has_more=False, reset=False, changes=[])
    return empty.model_dump_json().encode()


def _cursor(request: Request) -> int | None:
    """The cursor of a plain pull the route would take as it is; None for anything else."""
    items = request.query_params.multi_items()
    names = [name for name, _ in items]
    if len(set(names)) != len(names) or not set(names) <= _QUERY:
        return None
    query = dict(items)
    limit, scope = query.get("limit", "1"), query.get("scope", "all")
    if not (limit.isascii() and limit.isdigit() and 1 <= int(limit) <= _MAX_LIMIT):
        return None
    cursor = query.get("cursor", "")
    if scope not in ("all", "own") or not (cursor.isascii() and cursor.isdigit()):
        return None
    return int(cursor) if len(cursor) <= 18 else None


def idle_answer(hub: Hub, request: Request) -> bytes | None:
    token = bearer_token(request)
    if token is None:
        return None
    info = hub.tokens.get(digest(token))
    if info is None or info.kind != "customer" or info.customer_id is None:
        return None
    device = sessions.device_name(request.headers.get("user-agent"))
    if sessions.needs_touch(info.last_used_at, info.user_agent, device):
        return None
    after = _cursor(request)
    return nothing_new(hub, after) if after is not None else None


class IdleSync:
    """ASGI middleware, innermost: answers the idle syncs it can (see above)."""

    def __init__(self, app: ASGIApp, hub: Hub) -> None:
        self.app = app
        self.hub = hub

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == PATH:
            body = idle_answer(self.hub, Request(scope))
            if body is not None:
                headers = [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
