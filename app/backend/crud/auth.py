"""Customers and bearer tokens (stored hashed, revocable); sign-in codes are in
`sign_in`."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Row, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.backend.crud import sessions
from app.backend.crud.rows import one_or_404
from app.backend.db import notify
from app.backend.db.tables import customers, staff, tokens
from app.backend.problems import not_found
from app.backend.settings import HubSettings
from app.backend.util import digest, dumps, format_time, loads, new_id, now
from app.schemas import Customer, Session
from app.schemas.staff import ROLE_SCOPES

# What an operator token may be granted: every scope a staff role grants. Each guards
# routes of /v1/admin (deps.require_scope).
OPERATOR_SCOPES: frozenset[str] = frozenset().union(*ROLE_SCOPES.values())


def normalize_email(email: str) -> str:
    return email.strip().lower()


def customer_from_row(row: Row[Any]) -> Customer:
    return Customer(
        id=row.id, email=row.email, name=row.name, locale=row.locale, created_at=row.created_at
    )


def ensure_customer(conn: Connection, *, email: str, locale: str | None = None) -> Customer:
    """The customer with `email`, made on first sign-in in `locale` (English when None);
    an existing one's language becomes `locale` when given (the app's latest choice)."""
    email = normalize_email(email)
    row = conn.execute(select(customers).where(customers.c.email == email)).one_or_none()
    if row is None:
        # Two first sign-ins at once: the second finds the first one's row.
        dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
        conn.execute(
            dialect.insert(customers)
            .values(
                id=new_id("cus"), email=email, locale=locale or "en", created_at=format_time(now())
            )
            .on_conflict_do_nothing(index_elements=["email"])
        )
        row = conn.execute(select(customers).where(customers.c.email == email)).one()
    if locale is not None and row.locale != locale:
        return set_locale(conn, customer_id=row.id, locale=locale)
    return customer_from_row(row)


def set_locale(conn: Connection, *, customer_id: str, locale: str) -> Customer:
    """The customer's language becomes `locale` (checked by `languages.parse_locale`)."""
    conn.execute(update(customers).where(customers.c.id == customer_id).values(locale=locale))
    return get_customer(conn, customer_id=customer_id)


def known_locale(conn: Connection, *, email: str) -> str | None:
    """The language of the customer with `email`; None when there is no such customer."""
    found = conn.execute(
        select(customers.c.locale).where(customers.c.email == normalize_email(email))
    ).scalar_one_or_none()
    return str(found) if found is not None else None


def get_customer(conn: Connection, *, customer_id: str) -> Customer:
    row = one_or_404(conn, select(customers).where(customers.c.id == customer_id), what="customer")
    return customer_from_row(row)


def issue_customer_session(
    conn: Connection, *, customer: Customer, settings: HubSettings
) -> Session:
    """A new session; the customer's least recently used ones end beyond the cap."""
    sessions.make_room(conn, customer_id=customer.id, settings=settings)
    expires = now() + timedelta(days=settings.token_ttl_days)
    token = issue(
        conn,
        kind="customer",
        customer_id=customer.id,
        scopes=(),
        label=None,
        expires_at=format_time(expires),
    )
    return Session(token=token, customer=customer, expires_at=expires)


# Operator tokens expire by default (HubSettings.operator_token_ttl_days is the hub's).
DEFAULT_OPERATOR_TTL_DAYS = HubSettings.operator_token_ttl_days


def check_scopes(scopes: Iterable[str]) -> None:
    """ValueError naming any scope that is not an operator scope."""
    unknown = set(scopes) - OPERATOR_SCOPES
    if unknown:
        raise ValueError(
            f"unknown scope(s): {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(OPERATOR_SCOPES))}"
        )


def create_operator_token(
    conn: Connection,
    *,
    scopes: Sequence[str],
    label: str | None = None,
    ttl_days: int | None = DEFAULT_OPERATOR_TTL_DAYS,
    not_after: str | None = None,
    staff_id: str | None = None,
) -> str:
    """A token with `scopes`, expiring in `ttl_days` (None: never, only when asked for
    explicitly) and never after `not_after` (the expiry of the token that creates it);
    `staff_id` ties it to a member of staff (audited as them, revoked with them)."""
    check_scopes(scopes)
    if ttl_days is not None and ttl_days < 1:
        raise ValueError("a token's lifetime is at least one day")
    expires = format_time(now() + timedelta(days=ttl_days)) if ttl_days is not None else None
    if not_after is not None and (expires is None or expires > not_after):
        expires = not_after
    return issue(
        conn,
        kind="operator",
        customer_id=None,
        scopes=sorted(set(scopes)),
        label=label,
        expires_at=expires,
        staff_id=staff_id,
    )


def issue(
    conn: Connection,
    *,
    kind: str,
    customer_id: str | None,
    scopes: Sequence[str],
    label: str | None,
    expires_at: str | None,
    staff_id: str | None = None,
) -> str:
    """A new bearer token (returned once; the hub keeps only its hash)."""
    prefix = "clc" if kind == "customer" else "clo"
    token = f"{prefix}_{secrets.token_urlsafe(32)}"
    stamp = format_time(now())
    conn.execute(
        insert(tokens).values(
            id=new_id("tok"),
            token_hash=digest(token),
            kind=kind,
            customer_id=customer_id,
            scopes=dumps(list(scopes)),
            label=label,
            created_at=stamp,
            expires_at=expires_at,
            last_used_at=stamp,
            staff_id=staff_id,
        )
    )
    return token


@dataclass(frozen=True)
class TokenInfo:
    token_id: str
    kind: str
    customer_id: str | None
    scopes: frozenset[str]
    expires_at: str | None = None
    last_used_at: str | None = None
    user_agent: str | None = None
    label: str | None = None
    # The member of staff an operator token signs in, if any.
    staff_id: str | None = None
    staff_email: str | None = None
    staff_name: str | None = None


def resolve_token(
    conn: Connection, *, token: str, settings: HubSettings | None = None
) -> TokenInfo | None:
    """The live token behind a bearer string, or None (unknown, or not working: see
    `sessions.working`; without `settings` the idle rule is not applied). A token of a
    disabled member of staff does not work either."""
    # Only what is needed is read back (not the hash), so SQL logging shows nothing of it.
    row = conn.execute(
        select(
            tokens.c.id,
            tokens.c.kind,
            tokens.c.customer_id,
            tokens.c.scopes,
            tokens.c.expires_at,
            tokens.c.last_used_at,
            tokens.c.user_agent,
            tokens.c.label,
            tokens.c.staff_id,
            staff.c.email.label("staff_email"),
            staff.c.name.label("staff_name"),
        )
        .select_from(tokens.outerjoin(staff, staff.c.id == tokens.c.staff_id))
        .where(
            tokens.c.token_hash == digest(token),
            sessions.working(settings),
            or_(tokens.c.staff_id.is_(None), staff.c.disabled_at.is_(None)),
        )
    ).one_or_none()
    if row is None:
        return None
    return TokenInfo(
        row.id,
        row.kind,
        row.customer_id,
        frozenset(loads(row.scopes)),
        row.expires_at,
        row.last_used_at,
        row.user_agent,
        row.label,
        row.staff_id,
        row.staff_email,
        row.staff_name,
    )


def token_scopes(conn: Connection, *, token_id: str) -> frozenset[str]:
    """The scopes of a token (none for a customer session); 404 when there is no such."""
    found = conn.execute(select(tokens.c.scopes).where(tokens.c.id == token_id)).one_or_none()
    if found is None:
        raise not_found("token")
    return frozenset(loads(found.scopes))


def revoke_token(conn: Connection, *, token_id: str) -> None:
    result = conn.execute(
        update(tokens).where(tokens.c.id == token_id).values(revoked_at=format_time(now()))
    )
    if result.rowcount == 0:
        raise not_found("token")
    notify.tokens_revoked(conn, [token_id])


def list_tokens(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(select(tokens).order_by(tokens.c.created_at)).all()
    return [
        {
            "id": r.id,
            "kind": r.kind,
            "customer_id": r.customer_id,
            "scopes": loads(r.scopes),
            "label": r.label,
            "created_at": r.created_at,
            "expires_at": r.expires_at,
            "revoked_at": r.revoked_at,
            "last_used_at": r.last_used_at,
            "staff_id": r.staff_id,
        }
        for r in rows
    ]
