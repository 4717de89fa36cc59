"""Members of staff in tests of the hub in process: adding them, and signing them in
through the API with the code the hub issued (as the console does in dev mode)."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from app.backend.crud import staff
from app.backend.crud.sign_in import pending_codes
from app.backend.db import Database
from app.backend.db.tables import audit_log
from app.schemas.staff import StaffMember, StaffRole
from tests.support import bearer


def add_staff(db: Database, email: str, role: str, name: str = "Test Member") -> StaffMember:
    with db.write() as conn:
        return staff.add_member(conn, email=email, name=name, role=StaffRole(role))


async def start(client: httpx.AsyncClient, email: str) -> str:
    started = await client.post("/v1/admin/auth/start", json={"email": email})
    assert started.status_code == 202, started.text
    attempt: str = started.json()["attempt"]
    return attempt


def codes_for(db: Database, attempt: str) -> list[str]:
    with db.read() as conn:
        return [c["code"] for c in pending_codes(conn, attempt=attempt)]


async def verify(
    client: httpx.AsyncClient, email: str, attempt: str, code: str
) -> httpx.Response:
    body = {"email": email, "attempt": attempt, "code": code}
    return await client.post("/v1/admin/auth/verify", json=body)


async def staff_session(client: httpx.AsyncClient, db: Database, email: str) -> dict[str, Any]:
    """A staff sign-in through the API: the StaffSession the hub answered."""
    attempt = await start(client, email)
    (code,) = codes_for(db, attempt)
    verified = await verify(client, email, attempt, code)
    assert verified.status_code == 200, verified.text
    session: dict[str, Any] = verified.json()
    return session


async def staff_headers(client: httpx.AsyncClient, db: Database, email: str) -> dict[str, str]:
    return bearer((await staff_session(client, db, email))["token"])


def audit_rows(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(audit_log)).scalar_one())
