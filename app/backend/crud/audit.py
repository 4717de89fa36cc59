"""The audit trail: one row per operator write, recorded in the write's own transaction
(a refused or rolled-back action leaves none), and read back newest first."""

from __future__ import annotations

import secrets
import time
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select

from app.backend.crud.auth import TokenInfo
from app.backend.db.tables import audit_log
from app.backend.util import dumps, format_time, loads, now
from app.schemas import Page
from app.schemas.staff import AuditEntry, StaffMember

# Who did it: an operator token (a member of staff's sign-in, or another operator token),
# a member of staff signing in, or None for the operator CLI on the hub's machine.
Caller = TokenInfo | StaffMember | None
CLI_ACTOR = "cli"


def audit_id() -> str:
    """An id that sorts as its entry was made (nanoseconds, then random): entries made in
    the same microsecond still page newest first."""
    return f"aud_{time.time_ns():016x}{secrets.token_hex(4)}"


def actor_of(caller: Caller) -> tuple[str, str | None]:
    """The audit name and staff id of `caller`: the member of staff's email, else the
    token's label, else "cli"."""
    if isinstance(caller, StaffMember):
        return caller.email, caller.id
    if caller is None:
        return CLI_ACTOR, None
    if caller.staff_id is not None:
        return caller.staff_email or caller.staff_id, caller.staff_id
    return caller.label or CLI_ACTOR, None


def record(
    conn: Connection,
    caller: Caller,
    action: str,
    subject: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Record `action` (e.g. "incident.publish") on `subject` (the id acted on) by
    `caller`, inside the transaction of `conn`, which also makes the change."""
    actor, staff_id = actor_of(caller)
    conn.execute(
        insert(audit_log).values(
            id=audit_id(),
            at=format_time(now()),
            staff_id=staff_id,
            actor=actor[:254],
            action=action,
            subject=subject[:200] if subject is not None else None,
            detail=dumps(detail or {}),
        )
    )


def list_entries(
    conn: Connection,
    *,
    limit: int = 50,
    before: str | None = None,
    staff_id: str | None = None,
    action: str | None = None,
) -> Page[AuditEntry]:
    """Newest first; `before` is an entry's id (the previous page's `next_cursor`): only
    entries older than it. `action` matches exactly, or a family with a trailing '.'
    ("case." for every case action)."""
    query = select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc())
    if before is not None:
        mark = conn.execute(
            select(audit_log.c.at, audit_log.c.id).where(audit_log.c.id == before)
        ).one_or_none()
        if mark is None:
            return Page[AuditEntry](items=[])
        query = query.where(
            or_(
                audit_log.c.at < mark.at,
                and_(audit_log.c.at == mark.at, audit_log.c.id < mark.id),
            )
        )
    if staff_id is not None:
        query = query.where(audit_log.c.staff_id == staff_id)
    if action is not None:
        if action.endswith("."):
            query = query.where(audit_log.c.action.startswith(action, autoescape=True))
        else:
            query = query.where(audit_log.c.action == action)
    rows = conn.execute(query.limit(limit + 1)).all()
    items = [
        AuditEntry(
            id=r.id,
            at=r.at,
            actor=r.actor,
            staff_id=r.staff_id,
            action=r.action,
            subject=r.subject,
            detail=loads(r.detail) or {},
        )
        for r in rows[:limit]
    ]
    more = len(rows) > limit
    return Page[AuditEntry](items=items, next_cursor=items[-1].id if more else None)
