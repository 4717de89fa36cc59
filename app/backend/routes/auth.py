"""Sign-in with an emailed one-time code; the signed-in customer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from app.backend.crud import auth
from app.backend.deps import CustomerId, HubDep, client_address, token_info
from app.backend.mailer import send_sign_in_code
from app.backend.problems import ProblemError
from app.schemas import AuthStart, AuthStarted, AuthVerify, Customer, Session

router = APIRouter(prefix="/v1", tags=["auth"])

REFUSALS = {
    auth.Verdict.wrong: (401, "Wrong code", "That code is not right; check the latest email."),
    auth.Verdict.expired: (
        401,
        "Code expired",
        "That code has expired or was used; ask for a new one.",
    ),
    auth.Verdict.locked: (429, "Too many attempts", "Too many wrong codes; ask for a new one."),
    auth.Verdict.email_locked: (
        429,
        "Too many attempts",
        "Too many wrong codes for this email; wait a few minutes, then ask for a new one.",
    ),
}
# How long to wait before trying again: a short pause for one locked code, the whole
# window for an email with too many wrong codes.
RETRY_AFTER = {
    auth.Verdict.locked: 60,
    auth.Verdict.email_locked: int(auth.EMAIL_FAILURE_WINDOW.total_seconds()),
}


@router.post("/auth/start", response_model=AuthStarted, status_code=202)
def start(body: AuthStart, request: Request, hub: HubDep) -> AuthStarted:
    """Email a one-time code. The answer is the same whether or not the email is known."""
    limits = hub.settings
    hub.limiter.hit("sign-in-client", client_address(request), limits.sign_in_per_client)
    hub.limiter.hit("sign-in-email", auth.normalize_email(body.email), limits.sign_in_per_email)
    with hub.db.write() as conn:
        code = auth.start_sign_in(conn, email=body.email, settings=hub.settings)
    try:
        send_sign_in_code(hub.settings, email=auth.normalize_email(body.email), code=code)
    except OSError as error:
        raise ProblemError(
            503,
            "Email unavailable",
            "The code could not be sent; try again in a minute.",
            slug="mail-unavailable",
            headers={"Retry-After": "60"},
        ) from error
    return AuthStarted(expires_in=hub.settings.code_ttl_seconds)


@router.post("/auth/verify", response_model=Session)
def verify(body: AuthVerify, request: Request, hub: HubDep) -> Session:
    """Trade a code for a bearer token (the customer is created on first sign-in)."""
    hub.limiter.hit("sign-in-client", client_address(request), hub.settings.sign_in_per_client)
    with hub.db.write() as conn:
        verdict = auth.check_code(conn, email=body.email, code=body.code, settings=hub.settings)
        session = None
        if verdict is auth.Verdict.ok:
            customer = auth.ensure_customer(conn, email=body.email)
            session = auth.issue_customer_session(conn, customer=customer, settings=hub.settings)
    if session is None:
        status, title, detail = REFUSALS[verdict]
        wait = RETRY_AFTER.get(verdict)
        headers = {"Retry-After": str(wait)} if wait is not None else None
        raise ProblemError(status, title, detail, slug="sign-in-failed", headers=headers)
    return session


@router.post("/auth/logout", status_code=204)
def logout(info: Annotated[auth.TokenInfo, Depends(token_info)], hub: HubDep) -> Response:
    """Revoke the token used for this request."""
    with hub.db.write() as conn:
        auth.revoke_token(conn, token_id=info.token_id)
    return Response(status_code=204)


@router.get("/me", response_model=Customer)
def me(customer_id: CustomerId, hub: HubDep) -> Customer:
    with hub.db.read() as conn:
        return auth.get_customer(conn, customer_id=customer_id)
