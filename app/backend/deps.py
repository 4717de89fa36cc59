"""FastAPI dependencies: the hub, the caller's identity and scopes."""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable, Iterable
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from app.backend.crud import auth, sessions
from app.backend.hub import Hub
from app.backend.problems import ProblemError
from app.backend.util import digest
from app.schemas import ProblemField


# Dependencies that do no I/O are `async def`: FastAPI runs a plain `def` one in a worker
# thread, which costs more than the work itself on every request.
async def get_hub(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


HubDep = Annotated[Hub, Depends(get_hub)]


def client_address(request: Request) -> str:
    """The key rate limits count a caller by (see `address_key`)."""
    return address_key(request.client.host if request.client else "unknown")


def address_key(host: str, prefix: int = 64) -> str:
    """An IPv4 address as it is; an IPv6 address as its /64, which one home or server
    usually holds whole (counted per address, one caller could pose as billions). With
    `prefix=48`, an IPv6 address's /48, which one site often holds (IPv4 is unchanged)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        host_bits = 128 - prefix
        network = ipaddress.IPv6Address(int(address) >> host_bits << host_bits)
        return f"{network}/{prefix}"
    return str(address)


def counted_address(request: Request) -> str | None:
    """The key per-address limits on public reads and streams count a caller by; None for
    loopback: an app server on this machine asks for all its visitors at once, so only
    per-customer limits apply to it (a proxy names each caller in X-Forwarded-For)."""
    host = request.client.host if request.client else "unknown"
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass
    return client_address(request)


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _unauthorized(detail: str) -> ProblemError:
    return ProblemError(
        401,
        "Sign in required",
        detail,
        slug="unauthorized",
        headers={"WWW-Authenticate": 'Bearer realm="careline"'},
    )


def _resolve(hub: Hub, token: str) -> auth.TokenInfo | None:
    with hub.db.read() as conn:
        return auth.resolve_token(conn, token=token, settings=hub.settings)


def _touch(hub: Hub, token_id: str, device: str | None) -> None:
    with hub.db.write() as conn:
        sessions.touch(conn, token_id=token_id, device=device)


async def token_info(request: Request, hub: HubDep) -> auth.TokenInfo:
    """The caller's working token: from the hub's cache of recent checks when it holds
    it (no query, no worker thread), from the database otherwise."""
    token = bearer_token(request)
    if token is None:
        raise _unauthorized("Send 'Authorization: Bearer <token>'.")
    key = digest(token)
    info = hub.tokens.get(key)
    if info is None:
        generation = hub.tokens.generation  # before the read: see TokenCache.put
        info = await run_in_threadpool(_resolve, hub, token)
        if info is None:
            raise _unauthorized("The token is unknown, expired or revoked; sign in again.")
        hub.tokens.put(key, info, generation)
    # When and from what it was last used (a customer's list of sign-ins, the idle
    # timeout), written at most every few minutes per token.
    device = sessions.device_name(request.headers.get("user-agent"))
    if sessions.needs_touch(info.last_used_at, info.user_agent, device):
        await run_in_threadpool(_touch, hub, info.token_id, device)
        hub.tokens.touched(key, device=device)
    return info


async def current_customer_id(info: Annotated[auth.TokenInfo, Depends(token_info)]) -> str:
    if info.kind != "customer" or info.customer_id is None:
        raise ProblemError(
            403, "Customers only", "This endpoint needs a customer token.", slug="forbidden"
        )
    return info.customer_id


CustomerId = Annotated[str, Depends(current_customer_id)]
TokenDep = Annotated[auth.TokenInfo, Depends(token_info)]


def require_scope(scope: str) -> Callable[[auth.TokenInfo], Awaitable[auth.TokenInfo]]:
    async def check(info: TokenDep) -> auth.TokenInfo:
        if info.kind != "operator" or scope not in info.scopes:
            raise ProblemError(
                403,
                "Missing scope",
                f"This needs an operator token with the '{scope}' scope.",
                slug="forbidden",
            )
        return info

    return check


def require_held_scopes(info: auth.TokenInfo, wanted: Iterable[str]) -> None:
    """An operator token grants (or revokes) only scopes it holds itself: otherwise 403
    naming the missing ones."""
    missing = sorted(set(wanted) - info.scopes)
    if missing:
        raise ProblemError(
            403,
            "Missing scope",
            f"This token does not hold {', '.join(repr(s) for s in missing)}, so it cannot "
            "grant or revoke them; only the operator CLI can.",
            slug="forbidden",
            errors=[
                ProblemField(loc=["body", "scopes", name], msg="not held", type="scope_not_held")
                for name in missing
            ],
        )
