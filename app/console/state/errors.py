"""A hub failure as a short code the screens put in words (`error_<code>` in the
console's catalogs), plus the hub's own reason where it gave one."""

from __future__ import annotations

from dataclasses import dataclass

from app.api.errors import HubError, Offline, RateLimited, Rejected, ServerError, Unauthorized
from app.schemas.customers import SIGN_IN_CAPPED, SIGN_IN_FAILED


@dataclass(frozen=True)
class Failure:
    code: str  # offline | rate_limited | expired | forbidden | not_found | invalid | server
    detail: str = ""


def failure(error: HubError) -> Failure:
    problem = error.problem
    detail = (problem.detail or "") if problem else ""
    if isinstance(error, Offline):
        return Failure("offline")
    if isinstance(error, RateLimited):
        return Failure("rate_limited", detail)
    if isinstance(error, Unauthorized):
        return Failure("expired")
    if isinstance(error, ServerError):
        return Failure("server")
    if problem is not None and problem.type in (SIGN_IN_FAILED, SIGN_IN_CAPPED):
        return Failure("wrong_code", detail)
    if isinstance(error, Rejected) and problem is not None:
        if problem.status == 403:
            return Failure("forbidden", detail)
        if problem.status == 404:
            return Failure("not_found", detail)
        fields = "; ".join(f"{e.loc[-1]}: {e.msg}" for e in (problem.errors or []) if e.loc)
        return Failure("invalid", " ".join(p for p in (detail, fields) if p))
    return Failure("invalid", detail)
