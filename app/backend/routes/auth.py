"""Sign-in with an emailed one-time code; the signed-in customer."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from app.backend.crud import auth, sign_in
from app.backend.deps import (
    CustomerId,
    HubDep,
    address_key,
    client_address,
    counted_address,
    token_info,
)
from app.backend.hub import Hub
from app.backend.languages import parse_locale
from app.backend.mailer import send_sign_in_code
from app.backend.problems import ProblemError
from app.backend.settings import RateLimit
from app.schemas import AuthStart, AuthStarted, AuthVerify, Customer, ProblemField, Session
from app.schemas.customers import SIGN_IN_CAPPED, SIGN_IN_FAILED

router = APIRouter(prefix="/v1", tags=["auth"])

# Refused codes: status, title, detail and problem type. The daily caps have their own
# type: a new code cannot help, so the app says when to try again instead.
REFUSALS = {
    sign_in.Verdict.wrong: (
        401,
        "Wrong code",
        "That code is not right; check the latest email.",
        SIGN_IN_FAILED,
    ),
    sign_in.Verdict.expired: (
        401,
        "Code expired",
        "That code has expired or was used; ask for a new one.",
        SIGN_IN_FAILED,
    ),
    sign_in.Verdict.locked: (
        429,
        "Too many attempts",
        "Too many wrong codes for this sign-in; ask for a new code.",
        SIGN_IN_FAILED,
    ),
    sign_in.Verdict.client_capped: (
        429,
        "Sign-in paused",
        "Too many wrong codes from this network today; try again in {hours}, or contact support.",
        SIGN_IN_CAPPED,
    ),
    sign_in.Verdict.email_capped: (
        429,
        "Sign-in paused",
        "Too many wrong codes for this email today; try again in {hours}, or contact support.",
        SIGN_IN_CAPPED,
    ),
}
# A sign-in whose wrong codes are used up: ask for a new code after a short pause.
LOCKED_RETRY_AFTER = 60


def count_address(hub: Hub, request: Request, client: str) -> None:
    """Sign-in requests per address (an IPv6 /64), and per IPv6 /48 at a multiple of
    that: a site holding a /48 has 65,536 /64s to spread its requests over."""
    limit = hub.settings.sign_in_per_client
    hub.limiter.hit("sign-in-client", client, limit)
    site = address_key(request.client.host if request.client else "unknown", prefix=48)
    if site != client:
        wide = RateLimit(limit.count * hub.settings.sign_in_slash_48_factor, limit.seconds)
        hub.limiter.hit("sign-in-site", site, wide)


def count_code_sent(hub: Hub, email: str) -> None:
    """Codes sent to one email from all addresses together, so no number of addresses
    can flood an inbox. Using them up makes the customer wait for a new code (an hour
    at most, and codes already sent still work): the price of a bounded inbox."""
    try:
        hub.limiter.hit("sign-in-codes", email, hub.settings.sign_in_codes_per_email)
    except ProblemError as refused:
        minutes = math.ceil(int(refused.headers.get("Retry-After", "60")) / 60)
        raise ProblemError(
            429,
            "Too many codes",
            f"Too many codes were sent to this email lately; try again in {minutes} minutes.",
            slug="rate-limited",
            headers=refused.headers,
        ) from None


def email_code(hub: Hub, *, email: str, code: str, locale: str | None) -> None:
    """Send a sign-in code (a customer's or staff's); a mail server that cannot take it is
    a 503 asking to try again in a minute."""
    try:
        send_sign_in_code(hub.settings, email=email, code=code, locale=locale)
    except OSError as error:
        raise ProblemError(
            503,
            "Email unavailable",
            "The code could not be sent; try again in a minute.",
            slug="mail-unavailable",
            headers={"Retry-After": "60"},
        ) from error


def request_locale(tag: str | None) -> str | None:
    """The app's language as the hub keeps it; 422 naming the field when Babel knows no
    such language."""
    if tag is None:
        return None
    try:
        return parse_locale(tag)
    except ValueError as error:
        field = ProblemField(loc=["body", "locale"], msg=str(error), type="value_error")
        raise ProblemError(
            422, "Invalid request", str(error), slug="validation", errors=[field]
        ) from None


@router.post("/auth/start", response_model=AuthStarted, status_code=202)
def start(body: AuthStart, request: Request, hub: HubDep) -> AuthStarted:
    """Email a one-time code and answer the attempt's id, which `auth/verify` needs with
    the code. The answer is the same whether or not the email is known."""
    limits = hub.settings
    client = client_address(request)
    email = auth.normalize_email(body.email)
    locale = request_locale(body.locale)
    count_address(hub, request, client)
    # Per email and address: nobody can use up a customer's own chances to ask for one.
    hub.limiter.hit("sign-in-email", f"{email} {client}", limits.sign_in_per_email)
    count_code_sent(hub, email)
    with hub.db.write() as conn:
        started = sign_in.start_sign_in(conn, email=email, client=client, settings=limits)
        # The email speaks the app's language, else the customer's own (if known).
        locale = locale or auth.known_locale(conn, email=email)
    email_code(hub, email=email, code=started.code, locale=locale)
    return AuthStarted(attempt=started.attempt, expires_in=hub.settings.code_ttl_seconds)


@router.post("/auth/verify", response_model=Session)
def verify(body: AuthVerify, request: Request, hub: HubDep) -> Session:
    """Trade an attempt's code for a bearer token (the customer is created on first
    sign-in). Wrong codes count against that attempt only, and against daily caps."""
    client = client_address(request)
    locale = request_locale(body.locale)
    count_address(hub, request, client)
    with hub.db.write() as conn:
        check = sign_in.check_code(
            conn,
            email=body.email,
            attempt=body.attempt,
            code=body.code,
            client=client,
            settings=hub.settings,
            # Loopback with no X-Forwarded-For: an app server that did not name its
            # visitor. Its visitors share the address, so a per-address cap there would
            # let one of them lock out all the others.
            client_cap=counted_address(request) is not None,
        )
        session = None
        if check.verdict is sign_in.Verdict.ok:
            customer = auth.ensure_customer(conn, email=body.email, locale=locale)
            session = auth.issue_customer_session(conn, customer=customer, settings=hub.settings)
    if session is None:
        raise refusal(check)
    return session


def refusal(check: sign_in.Check) -> ProblemError:
    status, title, detail, kind = REFUSALS[check.verdict]
    locked = check.verdict is sign_in.Verdict.locked
    wait = LOCKED_RETRY_AFTER if locked else check.retry_after
    headers = {"Retry-After": str(wait)} if wait is not None else None
    hours = math.ceil((wait or 3600) / 3600)
    when = "1 hour" if hours == 1 else f"{hours} hours"
    slug = kind.removeprefix("/problems/")
    return ProblemError(status, title, detail.format(hours=when), slug=slug, headers=headers)


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
