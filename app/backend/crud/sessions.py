"""A customer's sessions (their sign-ins): which are live, when and from what each was
last used, ending one or all the others, and the cap per customer."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import ColumnElement, Connection, and_, func, or_, select, update

from app.backend.db import notify
from app.backend.db.tables import tokens
from app.backend.problems import not_found
from app.backend.settings import HubSettings
from app.backend.util import format_time, now
from app.schemas.common import as_one_line
from app.schemas.sessions import MAX_DEVICE_CHARS, SignIn

# How stale a token's "last used" may get before a request records it again: one write
# per token and few minutes at most, not one per request.
TOUCH_EVERY = timedelta(minutes=5)


def last_used() -> ColumnElement[str]:
    return func.coalesce(tokens.c.last_used_at, tokens.c.created_at)


def working(settings: HubSettings | None) -> ColumnElement[bool]:
    """Tokens that still work: not revoked, not expired, and (with `settings`) not a
    customer session last used `session_idle_days` or more ago. Bearer checks and the
    customer's list of sessions both go by this."""
    stamp = now()
    clauses = [
        tokens.c.revoked_at.is_(None),
        or_(tokens.c.expires_at.is_(None), tokens.c.expires_at > format_time(stamp)),
    ]
    if settings is not None:
        idle_since = format_time(stamp - timedelta(days=settings.session_idle_days))
        clauses.append(or_(tokens.c.kind != "customer", last_used() > idle_since))
    return and_(*clauses)


def _live(customer_id: str, settings: HubSettings) -> ColumnElement[bool]:
    """The customer's sessions that still work."""
    return and_(tokens.c.kind == "customer", tokens.c.customer_id == customer_id, working(settings))


def device_name(user_agent: str | None) -> str | None:
    """The User-Agent as one line of at most MAX_DEVICE_CHARS, or None when empty."""
    if not user_agent:
        return None
    text = as_one_line(user_agent).strip()[:MAX_DEVICE_CHARS]
    return text or None


def needs_touch(last_used_at: str | None, user_agent: str | None, device: str | None) -> bool:
    """Whether a request with `device` should record itself as the token's last use."""
    stale = last_used_at is None or last_used_at < format_time(now() - TOUCH_EVERY)
    return stale or (device is not None and device != user_agent)


def touch(conn: Connection, *, token_id: str, device: str | None) -> None:
    values: dict[str, str] = {"last_used_at": format_time(now())}
    if device is not None:
        values["user_agent"] = device
    conn.execute(update(tokens).where(tokens.c.id == token_id).values(**values))


def list_sessions(
    conn: Connection, *, customer_id: str, current_id: str, settings: HubSettings
) -> list[SignIn]:
    """The customer's live sessions, most recently used first."""
    rows = conn.execute(
        select(
            tokens.c.id,
            tokens.c.user_agent,
            tokens.c.created_at,
            tokens.c.last_used_at,
            tokens.c.expires_at,
        )
        .where(_live(customer_id, settings))
        .order_by(last_used().desc(), tokens.c.id)
    ).all()
    return [
        SignIn.model_validate(
            {
                "id": r.id,
                "device": r.user_agent,
                "created_at": r.created_at,
                "last_used_at": r.last_used_at,
                "expires_at": r.expires_at,
                "current": r.id == current_id,
            }
        )
        for r in rows
    ]


def end_session(
    conn: Connection, *, customer_id: str, session_id: str, settings: HubSettings
) -> None:
    """End one of the customer's live sessions; another customer's looks missing."""
    ended = conn.execute(
        update(tokens)
        .where(_live(customer_id, settings), tokens.c.id == session_id)
        .values(revoked_at=format_time(now()))
    )
    if ended.rowcount == 0:
        raise not_found("session")
    notify.tokens_revoked(conn, [session_id])


def end_other_sessions(
    conn: Connection, *, customer_id: str, keep_id: str, settings: HubSettings
) -> int:
    """End every live session of the customer but `keep_id`; how many were ended."""
    ended = conn.execute(
        update(tokens)
        .where(_live(customer_id, settings), tokens.c.id != keep_id)
        .values(revoked_at=format_time(now()))
        .returning(tokens.c.id)
    ).scalars()
    ids = list(ended)
    notify.tokens_revoked(conn, ids)
    return len(ids)


def make_room(conn: Connection, *, customer_id: str, settings: HubSettings) -> None:
    """Before a new sign-in: end the least recently used sessions so that, with the new
    one, the customer keeps at most `sessions_per_customer`."""
    keep = max(settings.sessions_per_customer - 1, 0)
    rows = conn.execute(
        select(tokens.c.id)
        .where(_live(customer_id, settings))
        .order_by(last_used().desc(), tokens.c.id.desc())
        .offset(keep)
    ).all()
    if rows:
        conn.execute(
            update(tokens)
            .where(tokens.c.id.in_([r.id for r in rows]))
            .values(revoked_at=format_time(now()))
        )
        notify.tokens_revoked(conn, [r.id for r in rows])
