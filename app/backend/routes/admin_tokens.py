"""Operator API tokens: issue, list and revoke, behind the `tokens` scope. A token can
only hand on, or take away, rights its holder has itself."""

from __future__ import annotations

from typing import Annotated, Any, Self

from fastapi import APIRouter, Depends, Response
from pydantic import Field, model_validator

from app.backend.crud import audit, auth
from app.backend.deps import HubDep, require_held_scopes, require_scope
from app.backend.problems import invalid_request
from app.schemas.common import UtcTime, WireModel

router = APIRouter(prefix="/v1/admin", tags=["operator"])
TokensScope = Depends(require_scope("tokens"))


class TokenIn(WireModel):
    """Scopes the calling token holds itself; an expiry in days (the hub's default when
    left out), or `never_expires`, which a token that expires cannot grant."""

    scopes: list[str] = Field(min_length=1, max_length=20)
    label: str | None = Field(None, max_length=200)
    ttl_days: int | None = Field(None, ge=1, le=3650)
    never_expires: bool = False

    @model_validator(mode="after")
    def _one_expiry(self) -> Self:
        if self.never_expires and self.ttl_days is not None:
            raise ValueError("give ttl_days or never_expires, not both")
        return self


class TokenOut(WireModel):
    token: str
    expires_at: UtcTime | None = None


@router.post("/tokens", response_model=TokenOut, status_code=201)
def create_token(
    body: TokenIn, caller: Annotated[auth.TokenInfo, TokensScope], hub: HubDep
) -> TokenOut:
    """A token with some of the caller's own scopes, expiring no later than the caller."""
    try:
        auth.check_scopes(body.scopes)
    except ValueError as error:
        raise invalid_request(error) from error
    require_held_scopes(caller, body.scopes)
    ttl = None if body.never_expires else body.ttl_days or hub.settings.operator_token_ttl_days
    try:
        with hub.db.write() as conn:
            token = auth.create_operator_token(
                conn,
                scopes=body.scopes,
                label=body.label,
                ttl_days=ttl,
                not_after=caller.expires_at,
                # Made by a member of staff: audited as theirs, ended with their sign-ins.
                staff_id=caller.staff_id,
            )
            made = auth.resolve_token(conn, token=token)
            assert made is not None
            detail = {"scopes": sorted(body.scopes), "label": body.label}
            audit.record(conn, caller, "token.create", made.token_id, detail)
    except ValueError as error:
        raise invalid_request(error) from error
    return TokenOut.model_validate({"token": token, "expires_at": made.expires_at})


@router.get("/tokens", dependencies=[TokensScope])
def list_tokens(hub: HubDep) -> dict[str, Any]:
    with hub.db.read() as conn:
        return {"items": auth.list_tokens(conn), "next_cursor": None}


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(
    token_id: str, caller: Annotated[auth.TokenInfo, TokensScope], hub: HubDep
) -> Response:
    """Revoke a customer session, or an operator token holding none of what the caller
    lacks (a token cannot lock out one with more rights than its own)."""
    with hub.db.write() as conn:
        require_held_scopes(caller, auth.token_scopes(conn, token_id=token_id))
        auth.revoke_token(conn, token_id=token_id)
        audit.record(conn, caller, "token.revoke", token_id)
    return Response(status_code=204)
