"""The company's team on the hub: staff sign-in with an emailed code (a session is an
operator token holding the role's scopes), the signed-in member, managing staff, and
the audit trail, the last two behind the `staff` scope.

`GET /v1/admin/me` and `auth/sign-out` need a staff sign-in: no token or a dead one is
401; a customer token, or an operator token that signs in no member of staff (one made
with the CLI), is 403 `forbidden` ("Staff only")."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from app.backend.crud import audit, auth, sign_in, staff
from app.backend.deps import (
    HubDep,
    TokenDep,
    client_address,
    counted_address,
    require_held_scopes,
    require_scope,
)
from app.backend.problems import ProblemError
from app.backend.routes.auth import (
    count_address,
    count_code_sent,
    email_code,
    refusal,
    request_locale,
)
from app.schemas import Page
from app.schemas.staff import (
    ROLE_SCOPES,
    AuditEntry,
    SignInsEnded,
    StaffChangeIn,
    StaffIn,
    StaffMember,
    StaffSession,
    StaffSignInStart,
    StaffSignInStarted,
    StaffSignInVerify,
)

router = APIRouter(prefix="/v1/admin", tags=["staff"])
StaffScope = Depends(require_scope("staff"))
PURPOSE = "staff"


async def staff_caller(info: TokenDep) -> auth.TokenInfo:
    """The caller's token, when it is a member of staff's sign-in; else 403."""
    if info.kind != "operator" or info.staff_id is None:
        raise ProblemError(
            403,
            "Staff only",
            "This needs a staff sign-in (POST /v1/admin/auth/verify), not a customer "
            "token or an operator token of the CLI.",
            slug="forbidden",
        )
    return info


StaffCaller = Annotated[auth.TokenInfo, Depends(staff_caller)]


@router.post("/auth/start", response_model=StaffSignInStarted, status_code=202)
def start(body: StaffSignInStart, request: Request, hub: HubDep) -> StaffSignInStarted:
    """Email a one-time code to a member of staff. The answer is the same whether or not
    the email belongs to one; a disabled member, or anyone else, gets no code. The same
    rate limits as customers' sign-in apply."""
    client = client_address(request)
    email = auth.normalize_email(body.email)
    locale = request_locale(body.locale)
    count_address(hub, request, client)
    hub.limiter.hit("staff-sign-in-email", f"{email} {client}", hub.settings.sign_in_per_email)
    count_code_sent(hub, email)
    with hub.db.write() as conn:
        member = staff.find_member(conn, email=email)
        started = None
        if member is not None and not member.disabled:
            started = sign_in.start_sign_in(
                conn, email=email, client=client, settings=hub.settings, purpose=PURPOSE
            )
    if started is not None:
        email_code(hub, email=email, code=started.code, locale=locale)
    # Someone who is not staff gets an attempt like anyone's, that no code will match.
    attempt = started.attempt if started is not None else secrets.token_urlsafe(24)
    return StaffSignInStarted(attempt=attempt, expires_in=hub.settings.code_ttl_seconds)


@router.post("/auth/verify", response_model=StaffSession)
def verify(body: StaffSignInVerify, request: Request, hub: HubDep) -> StaffSession:
    """Trade an attempt's code for a staff session. Wrong codes count as customers' do
    (against the attempt, and the daily caps)."""
    client = client_address(request)
    count_address(hub, request, client)
    with hub.db.write() as conn:
        check = sign_in.check_code(
            conn,
            email=body.email,
            attempt=body.attempt,
            code=body.code,
            client=client,
            settings=hub.settings,
            client_cap=counted_address(request) is not None,
            purpose=PURPOSE,
        )
        session = None
        if check.verdict is sign_in.Verdict.ok:
            member = staff.find_member(conn, email=body.email)
            # Disabled between the code and now: the code no longer signs anyone in.
            if member is not None and not member.disabled:
                session = staff.issue_session(conn, member=member, settings=hub.settings)
                audit.record(conn, member, "staff.sign_in", member.id)
    if session is None:
        verdict = check.verdict if check.verdict is not sign_in.Verdict.ok else None
        raise refusal(sign_in.Check(verdict or sign_in.Verdict.expired))
    return session


@router.get("/me", response_model=StaffMember)
def me(caller: StaffCaller, hub: HubDep) -> StaffMember:
    """The signed-in member of staff, with what their role grants."""
    assert caller.staff_id is not None
    with hub.db.read() as conn:
        return staff.get_member(conn, staff_id=caller.staff_id)


@router.post("/auth/sign-out", status_code=204)
def sign_out(caller: StaffCaller, hub: HubDep) -> Response:
    """End the staff sign-in this request was made with."""
    with hub.db.write() as conn:
        auth.revoke_token(conn, token_id=caller.token_id)
        audit.record(conn, caller, "staff.sign_out", caller.staff_id)
    return Response(status_code=204)


@router.get("/staff", response_model=Page[StaffMember], dependencies=[StaffScope])
def list_staff(hub: HubDep) -> Page[StaffMember]:
    with hub.db.read() as conn:
        return Page[StaffMember](items=staff.list_staff(conn))


@router.post("/staff", response_model=StaffMember, status_code=201)
def add_staff(
    body: StaffIn, caller: Annotated[auth.TokenInfo, StaffScope], hub: HubDep
) -> StaffMember:
    """A new member of staff; the caller holds every scope of the role it gives (as with
    tokens: nobody hands on rights they do not have). 409 when the email is staff."""
    require_held_scopes(caller, ROLE_SCOPES[body.role])
    with hub.db.write() as conn:
        member = staff.add_member(conn, email=body.email, name=body.name, role=body.role)
        audit.record(
            conn, caller, "staff.add", member.id, {"email": member.email, "role": member.role}
        )
    return member


@router.put("/staff/{staff_id}", response_model=StaffMember)
def change_staff(
    staff_id: str,
    body: StaffChangeIn,
    caller: Annotated[auth.TokenInfo, StaffScope],
    hub: HubDep,
) -> StaffMember:
    """A new role, or disabled (or enabled again). A new role or disabling ends every
    sign-in of theirs at once. The caller holds every scope of both the member's role
    and the new one."""
    with hub.db.write() as conn:
        before = staff.get_member(conn, staff_id=staff_id)
        require_held_scopes(caller, before.scopes)
        if body.role is not None:
            require_held_scopes(caller, ROLE_SCOPES[body.role])
        member = staff.change_member(
            conn, staff_id=staff_id, role=body.role, disabled=body.disabled
        )
        audit.record(
            conn, caller, "staff.change", member.id, body.model_dump(mode="json", exclude_none=True)
        )
    return member


@router.post("/staff/{staff_id}/sign-out", response_model=SignInsEnded)
def end_staff_sign_ins(
    staff_id: str, caller: Annotated[auth.TokenInfo, StaffScope], hub: HubDep
) -> SignInsEnded:
    """End every live sign-in of a member of staff (a lost laptop, a shared screen): they
    stay staff and may sign in again. The caller holds every scope of the member's role;
    404 for no such member."""
    with hub.db.write() as conn:
        member = staff.get_member(conn, staff_id=staff_id)
        require_held_scopes(caller, member.scopes)
        ended = staff.end_sign_ins(conn, staff_id=staff_id)
        audit.record(conn, caller, "staff.end_sign_ins", member.id, {"ended": ended})
    return SignInsEnded(ended=ended)


@router.get("/audit", response_model=Page[AuditEntry], dependencies=[StaffScope])
def list_audit(
    hub: HubDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    before: Annotated[str | None, Query(max_length=40, description="`next_cursor`")] = None,
    staff_id: Annotated[str | None, Query(alias="staff", max_length=40)] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
) -> Page[AuditEntry]:
    """What operators did, newest first; `staff` (a member's id) and `action` (exact, or
    a family ending in '.', e.g. `case.`) narrow it."""
    with hub.db.read() as conn:
        return audit.list_entries(
            conn, limit=limit, before=before, staff_id=staff_id, action=action
        )
