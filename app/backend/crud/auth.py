"""Customers, one-time sign-in codes and bearer tokens (stored hashed, revocable)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Any

from sqlalchemy import Connection, Row, case, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.backend.db.tables import auth_codes, customers, tokens
from app.backend.problems import not_found
from app.backend.settings import HubSettings
from app.backend.util import digest, dumps, format_time, loads, new_id, now
from app.schemas import Customer, Session

OPERATOR_SCOPES = frozenset({"status", "kb", "cases", "callbacks", "customers", "tokens"})


def normalize_email(email: str) -> str:
    return email.strip().lower()


def customer_from_row(row: Row[Any]) -> Customer:
    return Customer(
        id=row.id, email=row.email, name=row.name, locale=row.locale, created_at=row.created_at
    )


def start_sign_in(conn: Connection, *, email: str, settings: HubSettings) -> str:
    """Issue a fresh code for `email` (earlier unused ones stop working) and return it."""
    email = normalize_email(email)
    stamp = format_time(now())
    conn.execute(
        update(auth_codes)
        .where(auth_codes.c.email == email, auth_codes.c.used_at.is_(None))
        .values(used_at=stamp)
    )
    code = f"{secrets.randbelow(1_000_000):06d}"
    conn.execute(
        insert(auth_codes).values(
            email=email,
            code_hash=digest(f"{email}:{code}"),
            dev_code=code if settings.dev_mode else None,
            attempts=0,
            expires_at=format_time(now() + timedelta(seconds=settings.code_ttl_seconds)),
            created_at=stamp,
        )
    )
    return code


class Verdict(Enum):
    ok = "ok"
    wrong = "wrong"
    expired = "expired"
    locked = "locked"
    email_locked = "email_locked"


# Wrong codes an email may collect, over all the codes issued to it in this window. New
# codes do not reset it, and it lives in the database, so it holds across hub processes
# and restarts (the in-memory rate limits in front of sign-in do not).
EMAIL_FAILURE_WINDOW = timedelta(minutes=15)


def email_failure_cap(settings: HubSettings) -> int:
    """Two codes' worth of wrong tries per email and window."""
    return 2 * settings.code_max_attempts


def recent_failures(conn: Connection, *, email: str, settings: HubSettings) -> int:
    """Wrong tries against the codes issued to `email` in the last window (or still
    valid, when codes live longer than the window)."""
    window = max(EMAIL_FAILURE_WINDOW, timedelta(seconds=settings.code_ttl_seconds))
    since = format_time(now() - window)
    total = conn.execute(
        select(func.coalesce(func.sum(auth_codes.c.attempts), 0)).where(
            auth_codes.c.email == normalize_email(email), auth_codes.c.created_at > since
        )
    ).scalar_one()
    return int(total)


def check_code(conn: Connection, *, email: str, code: str, settings: HubSettings) -> Verdict:
    """Check a code against the newest one issued. Every wrong try counts; the caller
    commits before answering, so a failed attempt is never rolled back. The code's row is
    locked (PostgreSQL), so concurrent guesses are counted one after another.

    The code is compared inside the database and only the outcome is read back: with SQL
    logging on, result rows are logged, and the plain dev code or the hash of a 6-digit
    code (found again by trying all million) would otherwise reach the log."""
    email = normalize_email(email)
    matches = auth_codes.c.code_hash == digest(f"{email}:{code.strip()}")
    row = conn.execute(
        select(
            auth_codes.c.id,
            auth_codes.c.attempts,
            auth_codes.c.expires_at,
            auth_codes.c.used_at,
            case((matches, 1), else_=0).label("matches"),
        )
        .where(auth_codes.c.email == email)
        .order_by(auth_codes.c.id.desc())
        .limit(1)
        .with_for_update()
    ).one_or_none()
    if row is None or row.used_at is not None or row.expires_at < format_time(now()):
        return Verdict.expired
    if row.attempts >= settings.code_max_attempts:
        return Verdict.locked
    if recent_failures(conn, email=email, settings=settings) >= email_failure_cap(settings):
        return Verdict.email_locked
    if not row.matches:
        conn.execute(
            update(auth_codes)
            .where(auth_codes.c.id == row.id)
            .values(attempts=auth_codes.c.attempts + 1)
        )
        return Verdict.wrong
    conn.execute(
        update(auth_codes).where(auth_codes.c.id == row.id).values(used_at=format_time(now()))
    )
    return Verdict.ok


def ensure_customer(conn: Connection, *, email: str) -> Customer:
    email = normalize_email(email)
    row = conn.execute(select(customers).where(customers.c.email == email)).one_or_none()
    if row is None:
        # Two first sign-ins at once: the second finds the first one's row.
        dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
        conn.execute(
            dialect.insert(customers)
            .values(id=new_id("cus"), email=email, locale="en", created_at=format_time(now()))
            .on_conflict_do_nothing(index_elements=["email"])
        )
        row = conn.execute(select(customers).where(customers.c.email == email)).one()
    return customer_from_row(row)


def get_customer(conn: Connection, *, customer_id: str) -> Customer:
    row = conn.execute(select(customers).where(customers.c.id == customer_id)).one_or_none()
    if row is None:
        raise not_found("customer")
    return customer_from_row(row)


def issue_customer_session(
    conn: Connection, *, customer: Customer, settings: HubSettings
) -> Session:
    expires = now() + timedelta(days=settings.token_ttl_days)
    token = _issue(
        conn,
        kind="customer",
        customer_id=customer.id,
        scopes=(),
        label=None,
        expires_at=format_time(expires),
    )
    return Session(token=token, customer=customer, expires_at=expires)


def create_operator_token(
    conn: Connection,
    *,
    scopes: Sequence[str],
    label: str | None = None,
    ttl_days: int | None = None,
) -> str:
    unknown = set(scopes) - OPERATOR_SCOPES
    if unknown:
        raise ValueError(
            f"unknown scope(s): {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(OPERATOR_SCOPES))}"
        )
    expires = format_time(now() + timedelta(days=ttl_days)) if ttl_days else None
    return _issue(
        conn,
        kind="operator",
        customer_id=None,
        scopes=sorted(set(scopes)),
        label=label,
        expires_at=expires,
    )


def _issue(
    conn: Connection,
    *,
    kind: str,
    customer_id: str | None,
    scopes: Sequence[str],
    label: str | None,
    expires_at: str | None,
) -> str:
    prefix = "clc" if kind == "customer" else "clo"
    token = f"{prefix}_{secrets.token_urlsafe(32)}"
    conn.execute(
        insert(tokens).values(
            id=new_id("tok"),
            token_hash=digest(token),
            kind=kind,
            customer_id=customer_id,
            scopes=dumps(list(scopes)),
            label=label,
            created_at=format_time(now()),
            expires_at=expires_at,
        )
    )
    return token


@dataclass(frozen=True)
class TokenInfo:
    token_id: str
    kind: str
    customer_id: str | None
    scopes: frozenset[str]


def resolve_token(conn: Connection, *, token: str) -> TokenInfo | None:
    """The live token behind a bearer string, or None (unknown, revoked or expired)."""
    # Only what is needed is read back (not the hash), so SQL logging shows nothing of it.
    row = conn.execute(
        select(
            tokens.c.id,
            tokens.c.kind,
            tokens.c.customer_id,
            tokens.c.scopes,
            tokens.c.expires_at,
            tokens.c.revoked_at,
        ).where(tokens.c.token_hash == digest(token))
    ).one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    if row.expires_at is not None and row.expires_at <= format_time(now()):
        return None
    return TokenInfo(row.id, row.kind, row.customer_id, frozenset(loads(row.scopes)))


def revoke_token(conn: Connection, *, token_id: str) -> None:
    result = conn.execute(
        update(tokens).where(tokens.c.id == token_id).values(revoked_at=format_time(now()))
    )
    if result.rowcount == 0:
        raise not_found("token")


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
        }
        for r in rows
    ]


def pending_codes(conn: Connection) -> list[dict[str, str]]:
    """Dev mode: codes not yet used or expired, newest first."""
    rows = conn.execute(
        select(auth_codes)
        .where(
            auth_codes.c.used_at.is_(None),
            auth_codes.c.dev_code.is_not(None),
            auth_codes.c.expires_at > format_time(now()),
        )
        .order_by(auth_codes.c.id.desc())
    ).all()
    return [{"email": r.email, "code": r.dev_code, "expires_at": r.expires_at} for r in rows]
