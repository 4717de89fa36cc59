"""Sign-in with emailed one-time codes, each bound to the attempt that asked for it.

`auth/start` makes an attempt: a random id (returned to the caller, stored hashed) and a
code (emailed). `auth/verify` names the attempt, so a wrong code counts against that
attempt only: nobody else's guesses lock or cancel a customer's own code. Slow guessing
stops at daily caps of wrong codes per address and per email (`HubSettings`)."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import Connection, case, delete, func, insert, select, update

from app.backend.crud.auth import normalize_email
from app.backend.db.tables import auth_codes, sign_in_failures
from app.backend.settings import HubSettings
from app.backend.util import digest, format_time, now, parse_time
from app.schemas.customers import SIGN_IN_CODE_DIGITS

# The daily caps count wrong codes over this sliding window; older records are removed.
FAILURE_WINDOW = timedelta(days=1)


@dataclass(frozen=True)
class Started:
    attempt: str
    code: str


def _code_hash(attempt: str, code: str) -> str:
    # Salted with the attempt id, which the table holds only hashed: its rows alone do
    # not give a code away (8 digits are quickly tried otherwise).
    return digest(f"{attempt}:{code}")


def start_sign_in(
    conn: Connection,
    *,
    email: str,
    client: str,
    settings: HubSettings,
    purpose: str = "customer",
) -> Started:
    """A new attempt for `email`, asked for from `client` (an address key), signing in to
    `purpose` ("customer" or "staff": a code works only for what it was asked for). Other
    attempts stay valid, except this address's oldest beyond `sign_in_attempts_per_client`
    for this email: nobody else can push a customer's own attempt out."""
    email = normalize_email(email)
    moment = now()
    _forget_old(conn, moment)
    attempt = secrets.token_urlsafe(24)
    code = f"{secrets.randbelow(10**SIGN_IN_CODE_DIGITS):0{SIGN_IN_CODE_DIGITS}d}"
    conn.execute(
        insert(auth_codes).values(
            email=email,
            attempt_hash=digest(attempt),
            client=client,
            code_hash=_code_hash(attempt, code),
            dev_code=code if settings.dev_mode else None,
            attempts=0,
            purpose=purpose,
            expires_at=format_time(moment + timedelta(seconds=settings.code_ttl_seconds)),
            created_at=format_time(moment),
        )
    )
    live = (
        conn.execute(
            select(auth_codes.c.id)
            .where(
                auth_codes.c.email == email,
                auth_codes.c.client == client,
                auth_codes.c.used_at.is_(None),
                auth_codes.c.expires_at > format_time(moment),
                auth_codes.c.attempts < settings.code_max_attempts,
            )
            .order_by(auth_codes.c.id.desc())
        )
        .scalars()
        .all()
    )
    retired = live[settings.sign_in_attempts_per_client :]
    if retired:
        conn.execute(
            update(auth_codes)
            .where(auth_codes.c.id.in_(retired))
            .values(used_at=format_time(moment))
        )
    return Started(attempt=attempt, code=code)


def _forget_old(conn: Connection, moment: datetime) -> None:
    """Codes expired and wrong codes made over a day ago are of no more use."""
    before = format_time(moment - FAILURE_WINDOW)
    conn.execute(delete(auth_codes).where(auth_codes.c.expires_at < before))
    conn.execute(delete(sign_in_failures).where(sign_in_failures.c.created_at < before))


class Verdict(Enum):
    ok = "ok"
    wrong = "wrong"
    expired = "expired"
    locked = "locked"  # this attempt had all its wrong codes
    client_capped = "client_capped"  # this address had its wrong codes for the day
    email_capped = "email_capped"  # this email had, and this address made enough of them


@dataclass(frozen=True)
class Check:
    verdict: Verdict
    retry_after: int | None = None  # seconds until a daily cap lets this caller try again


def check_code(
    conn: Connection,
    *,
    email: str,
    attempt: str,
    code: str,
    client: str,
    settings: HubSettings,
    client_cap: bool = True,
    purpose: str = "customer",
) -> Check:
    """Check `code` against the attempt's. A wrong one counts against the attempt and
    the day's caps; the caller commits before answering, so it is never rolled back. The
    attempt's row is locked (PostgreSQL), so its concurrent guesses count one by one.
    `client_cap=False`: the address stands for many customers (an app server that could
    not name its visitor), so only the per-email cap and the attempt's own count apply.

    The code is compared inside the database and only the outcome is read back: with SQL
    logging on, result rows are logged, and the plain dev code would reach the log."""
    email = normalize_email(email)
    matches = auth_codes.c.code_hash == _code_hash(attempt, code.strip())
    row = conn.execute(
        select(
            auth_codes.c.id,
            auth_codes.c.attempts,
            auth_codes.c.expires_at,
            auth_codes.c.used_at,
            case((matches, 1), else_=0).label("matches"),
        )
        .where(
            auth_codes.c.attempt_hash == digest(attempt),
            auth_codes.c.email == email,
            auth_codes.c.purpose == purpose,
        )
        .with_for_update()
    ).one_or_none()
    if row is None or row.used_at is not None or row.expires_at < format_time(now()):
        return Check(Verdict.expired)
    if row.attempts >= settings.code_max_attempts:
        return Check(Verdict.locked)
    # Checked before the code, so a capped caller learns nothing, not even a right guess.
    capped = _daily_cap(conn, email=email, client=client, settings=settings, client_cap=client_cap)
    if capped is not None:
        return capped
    if not row.matches:
        conn.execute(
            update(auth_codes)
            .where(auth_codes.c.id == row.id)
            .values(attempts=auth_codes.c.attempts + 1)
        )
        conn.execute(
            insert(sign_in_failures).values(
                email=email, client=client, created_at=format_time(now())
            )
        )
        return Check(Verdict.wrong)
    conn.execute(
        update(auth_codes).where(auth_codes.c.id == row.id).values(used_at=format_time(now()))
    )
    return Check(Verdict.ok)


def _daily_cap(
    conn: Connection, *, email: str, client: str, settings: HubSettings, client_cap: bool
) -> Check | None:
    """A refusal when this address, or this email together with this address, is over
    the day's wrong codes. An email over its cap refuses only the addresses that made
    `sign_in_capped_email_failures_per_client` of its wrong codes: the customer's own,
    with a typo or two, still signs in. Concurrent guesses on PostgreSQL may pass a cap
    by the few counted at once."""
    recent = sign_in_failures.c.created_at > format_time(now() - FAILURE_WINDOW)
    if client_cap:
        count, oldest = conn.execute(
            select(func.count(), func.min(sign_in_failures.c.created_at)).where(
                sign_in_failures.c.client == client, recent
            )
        ).one()
        if count >= settings.sign_in_daily_failures_per_client:
            return Check(Verdict.client_capped, _until_gone(oldest))
    count, oldest = conn.execute(
        select(func.count(), func.min(sign_in_failures.c.created_at)).where(
            sign_in_failures.c.email == email, recent
        )
    ).one()
    if count < settings.sign_in_daily_failures_per_email:
        return None
    guessed = conn.execute(
        select(func.count()).where(
            sign_in_failures.c.email == email, sign_in_failures.c.client == client, recent
        )
    ).scalar_one()
    if guessed < settings.sign_in_capped_email_failures_per_client:
        return None
    return Check(Verdict.email_capped, _until_gone(oldest))


def _until_gone(oldest: str) -> int:
    """Seconds until the oldest counted wrong code leaves the window."""
    left = parse_time(oldest) + FAILURE_WINDOW - now()
    return max(1, math.ceil(left.total_seconds()))


def pending_codes(conn: Connection, *, attempt: str | None = None) -> list[dict[str, str]]:
    """Dev mode: codes not yet used or expired (only `attempt`'s, when given), newest
    first."""
    query = (
        select(auth_codes.c.email, auth_codes.c.dev_code, auth_codes.c.expires_at)
        .where(
            auth_codes.c.used_at.is_(None),
            auth_codes.c.dev_code.is_not(None),
            auth_codes.c.expires_at > format_time(now()),
        )
        .order_by(auth_codes.c.id.desc())
    )
    if attempt is not None:
        query = query.where(auth_codes.c.attempt_hash == digest(attempt))
    rows = conn.execute(query).all()
    return [{"email": r.email, "code": r.dev_code, "expires_at": r.expires_at} for r in rows]
