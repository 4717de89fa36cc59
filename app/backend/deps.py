"""FastAPI dependencies: the hub, the caller's identity and scopes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from app.backend.crud import auth
from app.backend.hub import Hub
from app.backend.problems import ProblemError


# Dependencies that do no I/O are `async def`: FastAPI runs a plain `def` one in a worker
# thread, which costs more than the work itself on every request.
async def get_hub(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


HubDep = Annotated[Hub, Depends(get_hub)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


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


def token_info(request: Request, hub: HubDep) -> auth.TokenInfo:
    token = bearer_token(request)
    if token is None:
        raise _unauthorized("Send 'Authorization: Bearer <token>'.")
    with hub.db.read() as conn:
        info = auth.resolve_token(conn, token=token)
    if info is None:
        raise _unauthorized("The token is unknown, expired or revoked; sign in again.")
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
