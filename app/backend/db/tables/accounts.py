"""Customers and how they sign in: one-time codes, failed guesses, and tokens."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table

from app.backend.db.tables.common import id_column, json_column, metadata, time_column

customers = Table(
    "customers",
    metadata,
    id_column(),
    Column("email", String(254), nullable=False, unique=True),
    Column("name", String(200)),
    Column("locale", String(16), nullable=False, default="en"),
    time_column("created_at"),
)

auth_codes = Table(
    "auth_codes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False, index=True),
    # The sign-in attempt that asked for the code (a hash of the id `auth/start` returned):
    # a guess names its attempt, so it never counts against, or cancels, anyone else's.
    Column("attempt_hash", String(64), nullable=False, unique=True),
    # Who asked (the rate-limit key of the address): each keeps only its newest few.
    Column("client", String(64), nullable=False),
    # A hash of the attempt id and the code: the table alone does not give the code away.
    Column("code_hash", String(64), nullable=False),
    # Plain code only in dev mode (no SMTP), so the operator CLI can show it.
    Column("dev_code", String(8)),
    Column("attempts", Integer, nullable=False, default=0),
    # What the code signs in to: the customer app, or the staff console ("staff").
    Column("purpose", String(16), nullable=False, default="customer"),
    time_column("expires_at"),
    time_column("used_at", nullable=True),
    time_column("created_at"),
)

# One row per wrong sign-in code: the daily caps per email and per address count them
# (in the database, so they hold across hub processes and restarts).
sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False),
    Column("client", String(64), nullable=False),
    time_column("created_at"),
    Index("ix_sign_in_failures_email", "email", "created_at"),
    Index("ix_sign_in_failures_client", "client", "created_at"),
)

tokens = Table(
    "tokens",
    metadata,
    id_column(),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("customer_id", String(40), index=True),
    json_column("scopes", "[]"),
    Column("label", String(200)),
    time_column("created_at"),
    time_column("expires_at", nullable=True),
    time_column("revoked_at", nullable=True),
    # When and from what (User-Agent) the token was last used: the customer's list of
    # sign-ins, and the idle timeout of customer sessions.
    time_column("last_used_at", nullable=True),
    Column("user_agent", String(200)),
    # The member of staff an operator token signs in (their audit name, revoked with them).
    Column("staff_id", String(40), index=True),
)
