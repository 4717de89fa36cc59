"""Members of staff: adding them, their role, disabling them, and their sign-ins (operator
tokens holding the role's scopes, tied to the member so they can be ended at once)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.backend.crud import auth
from app.backend.crud.rows import one_or_404
from app.backend.db import notify
from app.backend.db.tables import staff, tokens
from app.backend.problems import ProblemError
from app.backend.settings import HubSettings
from app.backend.util import format_time, new_id, now
from app.schemas.staff import ROLE_SCOPES, StaffMember, StaffRole, StaffSession


def member_from_row(row: Row[Any]) -> StaffMember:
    role = StaffRole(row.role)
    return StaffMember(
        id=row.id,
        email=row.email,
        name=row.name,
        role=role,
        scopes=sorted(ROLE_SCOPES[role]),
        disabled=row.disabled_at is not None,
        created_at=row.created_at,
        last_sign_in_at=getattr(row, "last_sign_in_at", None),
    )


def list_staff(conn: Connection) -> list[StaffMember]:
    """Every member by email, with when each last signed in (their newest sign-in token,
    revoked or not)."""
    last = (
        select(func.max(tokens.c.created_at))
        .where(tokens.c.staff_id == staff.c.id)
        .scalar_subquery()
        .label("last_sign_in_at")
    )
    rows = conn.execute(select(staff, last).order_by(staff.c.email)).all()
    return [member_from_row(r) for r in rows]


def get_member(conn: Connection, *, staff_id: str) -> StaffMember:
    row = one_or_404(conn, select(staff).where(staff.c.id == staff_id), what="member of staff")
    return member_from_row(row)


def find_member(conn: Connection, *, email: str) -> StaffMember | None:
    row = conn.execute(
        select(staff).where(staff.c.email == auth.normalize_email(email))
    ).one_or_none()
    return member_from_row(row) if row is not None else None


def add_member(conn: Connection, *, email: str, name: str, role: StaffRole) -> StaffMember:
    """A new member of staff; 409 when one with this email exists."""
    email = auth.normalize_email(email)
    if find_member(conn, email=email) is not None:
        raise _taken(email)
    staff_id = new_id("stf")
    try:
        with conn.begin_nested():
            conn.execute(
                insert(staff).values(
                    id=staff_id,
                    email=email,
                    name=name.strip(),
                    role=role.value,
                    created_at=format_time(now()),
                )
            )
    except IntegrityError:  # added at the same moment by someone else
        raise _taken(email) from None
    return get_member(conn, staff_id=staff_id)


def _taken(email: str) -> ProblemError:
    return ProblemError(
        409, "Already staff", f"{email} is already a member of staff.", slug="conflict"
    )


def change_member(
    conn: Connection, *, staff_id: str, role: StaffRole | None, disabled: bool | None
) -> StaffMember:
    """A new role and/or disabled state. A new role or disabling ends every sign-in of
    theirs, so what they may do changes at once (they sign in again for the new role)."""
    before = get_member(conn, staff_id=staff_id)
    values: dict[str, Any] = {}
    if role is not None and role != before.role:
        values["role"] = role.value
    if disabled is not None and disabled != before.disabled:
        values["disabled_at"] = format_time(now()) if disabled else None
    if values:
        conn.execute(update(staff).where(staff.c.id == staff_id).values(**values))
    if "role" in values or disabled:
        end_sign_ins(conn, staff_id=staff_id)
    return get_member(conn, staff_id=staff_id)


def end_sign_ins(conn: Connection, *, staff_id: str) -> int:
    """Revoke every live token tied to the member; how many."""
    ended = conn.execute(
        update(tokens)
        .where(tokens.c.staff_id == staff_id, tokens.c.revoked_at.is_(None))
        .values(revoked_at=format_time(now()))
        .returning(tokens.c.id)
    ).scalars()
    ids = list(ended)
    notify.tokens_revoked(conn, ids)
    return len(ids)


def issue_session(conn: Connection, *, member: StaffMember, settings: HubSettings) -> StaffSession:
    """An operator token with the member's role's scopes, expiring after
    `staff_session_hours`."""
    expires = now() + timedelta(hours=settings.staff_session_hours)
    token = auth.issue(
        conn,
        kind="operator",
        customer_id=None,
        scopes=member.scopes,
        label=f"staff sign-in: {member.email}"[:200],
        expires_at=format_time(expires),
        staff_id=member.id,
    )
    return StaffSession(token=token, expires_at=expires, staff=member)
