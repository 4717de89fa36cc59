"""The world of the authorization sweep: Alice's data, Bob, and every kind of caller."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, insert, select, update

from app.backend.crud import alert_devices, auth, staff, status, subscriptions
from app.backend.crud.sign_in import pending_codes
from app.backend.db import Database
from app.backend.db.tables import mutations, social_warnings, tokens
from app.backend.util import format_time, now
from app.schemas import AlertDeviceIn, Impact
from app.schemas.mutations import DeviceRegisterArgs
from app.schemas.staff import StaffRole
from tests.backend.authz.world import ALICE_EMAIL, ALICE_FILE, World
from tests.backend.support import alices_first_push, upload_png
from tests.support import Company, bearer, push, sign_in


def expire(db: Database, token: str) -> None:
    """Expire a token the way time would: its expiry moves into the past."""
    with db.write() as conn:
        found = auth.resolve_token(conn, token=token)
        assert found is not None
        conn.execute(
            update(tokens)
            .where(tokens.c.id == found.token_id)
            .values(expires_at=format_time(now() - timedelta(seconds=1)))
        )


def operator_token(db: Database, scopes: list[str]) -> str:
    with db.write() as conn:
        return auth.create_operator_token(conn, scopes=scopes, label="matrix")


def staff_token(db: Database, email: str, api: FastAPI) -> str:
    """A sign-in of the member of staff (an agent), issued as `auth/verify` does."""
    with db.write() as conn:
        member = staff.find_member(conn, email=email)
        assert member is not None
        session = staff.issue_session(conn, member=member, settings=api.state.hub.settings)
    return session.token


@pytest.fixture
async def world(
    client: httpx.AsyncClient, hub_app: FastAPI, db: Database, company: Company
) -> World:
    alice = await sign_in(client, db, ALICE_EMAIL)
    bob = await sign_in(client, db, "bob.matrix@example.com")
    attachment = await upload_png(client, alice, ALICE_FILE)
    opened, booked, _ = await push(client, alice, *alices_first_push(company.queue_id, attachment))
    assert opened["status"] == booked["status"] == "applied", (opened, booked)
    with db.write() as conn:
        incident = status.publish_incident(
            conn, title="Snow", impact=Impact.major, components_affected=["baggage"], body="Slow"
        )
        spare_token = auth.create_operator_token(conn, scopes=["kb"], label="spare")
        at = format_time(now())
        conn.execute(
            insert(social_warnings).values(
                id="warn_matrix",
                key="ORD",
                started_at=at,
                detected_at=at,
                count=12,
                baseline=1.0,
                p_value=1e-9,
                state="new",
                created_at=at,
                updated_at=at,
            )
        )
        spare_id = next(t["id"] for t in auth.list_tokens(conn) if t["label"] == "spare")
    assert spare_token
    erin = await client.post("/v1/auth/start", json={"email": "erin.matrix@example.com"})
    erin_attempt = erin.json()["attempt"]
    with db.read() as conn:
        (erin_code,) = [c["code"] for c in pending_codes(conn, attempt=erin_attempt)]
    with db.write() as conn:
        staff.add_member(conn, email="staff.matrix@example.com", name="M", role=StaffRole.agent)
        spare_staff = staff.add_member(
            conn, email="spare.matrix@example.com", name="S", role=StaffRole.agent
        )
    staff_start = await client.post(
        "/v1/admin/auth/start", json={"email": "staff.matrix@example.com"}
    )
    staff_attempt = staff_start.json()["attempt"]
    with db.read() as conn:
        (staff_code,) = [c["code"] for c in pending_codes(conn, attempt=staff_attempt)]
    alice_id = (await client.get("/v1/me", headers=alice)).json()["id"]
    with db.write() as conn:
        # Another of Alice's sign-ins, for the routes that end one.
        alices = auth.ensure_customer(conn, email=ALICE_EMAIL)
        auth.issue_customer_session(conn, customer=alices, settings=hub_app.state.hub.settings)
        session = next(
            t["id"] for t in reversed(auth.list_tokens(conn)) if t["customer_id"] == alice_id
        )
        device = subscriptions.register_device(
            conn,
            customer_id=alice_id,
            device=DeviceRegisterArgs(platform="webpush", endpoint="https://push.example.com/a"),
        )
        signed_out, other = (
            alert_devices.register(
                conn,
                device=AlertDeviceIn(platform="webpush", endpoint=f"https://push.example.com/{n}"),
            )
            for n in ("signed-out", "other")
        )
    moment = (now() + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    ids = {
        "alice_id": alice_id,
        "case": opened["entity"]["id"],
        "callback": booked["entity"]["id"],
        "attachment": attachment,
        "incident": incident.id,
        "warning": "warn_matrix",
        "token_id": spare_id,
        "device": device,
        "session": session,
        "alert_device": signed_out.id,
        "alert_secret": signed_out.secret,
        "other_secret": other.secret,
        "erin_attempt": erin_attempt,
        "erin_code": erin_code,
        "staff_attempt": staff_attempt,
        "staff_code": staff_code,
        "spare_staff": spare_staff.id,
        "in_an_hour": moment.isoformat(),
        "in_two_hours": (moment + timedelta(hours=1)).isoformat(),
    }
    built = World(client, hub_app, db, alice, bob, ids)
    built.callers = await callers(built)
    with db.read() as conn:
        built.recorded = conn.execute(select(func.count()).select_from(mutations)).scalar_one()
    return built


async def callers(w: World) -> dict[str, dict[str, str]]:
    """The Authorization headers of every caller kind, by name."""
    client, db = w.client, w.db
    # Alice's own earlier sessions: one signed out, one past its expiry.
    revoked = await sign_in(client, db, ALICE_EMAIL)
    assert (await client.post("/v1/auth/logout", headers=revoked)).status_code == 204
    expired = await sign_in(client, db, ALICE_EMAIL)
    expire(db, expired["Authorization"].split()[-1])
    # A customer who erased their account, keeping the token they had.
    erased = await sign_in(client, db, "zoe.matrix@example.com")
    assert (await client.delete("/v1/me", headers=erased)).status_code == 204
    every_scope = sorted(auth.OPERATOR_SCOPES)
    revoked_operator = operator_token(db, every_scope)
    with db.write() as conn:
        found = auth.resolve_token(conn, token=revoked_operator)
        assert found is not None
        auth.revoke_token(conn, token_id=found.token_id)
    expired_operator = operator_token(db, every_scope)
    expire(db, expired_operator)
    alice_token = w.alice["Authorization"].split()[-1]
    found_callers = {
        "no token": {},
        "empty bearer": {"Authorization": "Bearer"},
        "forged token": bearer(f"clc_{uuid.uuid4().hex}{uuid.uuid4().hex}"),
        "forged operator token": bearer(f"clo_{uuid.uuid4().hex}"),
        "basic auth": {"Authorization": "Basic YWxpY2U6aHVudGVyMg=="},
        "token without scheme": {"Authorization": alice_token},
        "token with a typo": bearer(alice_token[:-1] + ("A" if alice_token[-1] != "A" else "B")),
        "revoked token": revoked,
        "expired token": expired,
        "erased account": erased,
        "revoked operator": bearer(revoked_operator),
        "expired operator": bearer(expired_operator),
        "operator, every scope": bearer(operator_token(db, every_scope)),
        "customer": w.alice,
        "another customer": w.bob,
        "device": {"Authorization": f"Device {w.ids['alert_secret']}"},
        "another device": {"Authorization": f"Device {w.ids['other_secret']}"},
        "staff": bearer(staff_token(db, "staff.matrix@example.com", w.api)),
    }
    for scope in every_scope:
        others = [s for s in every_scope if s != scope]
        found_callers[f"operator without {scope}"] = bearer(operator_token(db, others))
    return found_callers
