"""Helpers the hub's tests share: headers, mutations and push bodies, signing in through
the API, problem documents, and a small company to test against. Plain functions, so any
test module imports them from here (fixtures stay in conftest.py)."""

from __future__ import annotations

import email
import email.policy
import struct
import time
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import httpx

from app.backend.crud import auth, kb, queues
from app.backend.crud.components import save_component
from app.backend.crud.sign_in import pending_codes
from app.backend.db import Database
from app.schemas import CallbackQueue, Category


def until(done: Callable[[], Any], what: str, seconds: float = 60) -> Any:
    """`done()`'s first truthy answer, asked every 0.1 s; fails naming `what` after
    `seconds`. A wait for a process on a loaded machine, never a timing assertion."""
    deadline = time.monotonic() + seconds
    while not (found := done()):
        assert time.monotonic() < deadline, f"{what} did not happen"
        time.sleep(0.1)
    return found


def bearer(token: str) -> dict[str, str]:
    """The Authorization header that carries this token."""
    return {"Authorization": f"Bearer {token}"}


async def sign_in(client: httpx.AsyncClient, db: Database, email: str) -> dict[str, str]:
    """Sign in through the API with the code the hub issued; returns auth headers."""
    started = await client.post("/v1/auth/start", json={"email": email})
    assert started.status_code == 202, started.text
    attempt = started.json()["attempt"]
    with db.read() as conn:
        (code,) = [c["code"] for c in pending_codes(conn, attempt=attempt)]
    body = {"email": email, "attempt": attempt, "code": code}
    verified = await client.post("/v1/auth/verify", json=body)
    assert verified.status_code == 200, verified.text
    return bearer(verified.json()["token"])


PROBLEM_JSON = "application/problem+json"


def assert_problem(response: httpx.Response, status: int | None = None) -> dict[str, Any]:
    """The response is a problem document (RFC 9457) with this status (any 4xx if None)."""
    if status is None:
        assert 400 <= response.status_code < 500, response.text
    else:
        assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body: dict[str, Any] = response.json()
    assert body["status"] == response.status_code
    assert isinstance(body["type"], str)
    assert isinstance(body["title"], str)
    return body


def operator_headers(db: Database, *scopes: str) -> dict[str, str]:
    with db.write() as conn:
        token = auth.create_operator_token(conn, scopes=scopes or sorted(auth.OPERATOR_SCOPES))
    return bearer(token)


def mutation(name: str, seq: int = 1, key: str | None = None, **args: Any) -> dict[str, Any]:
    """One mutation as the app pushes it: its name, place in the device's order, idempotency
    key (a fresh one unless given), and arguments."""
    return {
        "seq": seq,
        "key": key or str(uuid.uuid4()),
        "name": name,
        "args": args,
        "created_at": datetime.now(UTC).isoformat(),
    }


def push_body(*mutations: dict[str, Any], client_id: str = "test-device") -> dict[str, Any]:
    """The body of POST /v1/sync/push with these mutations, from this device."""
    return {"client_id": client_id, "mutations": list(mutations)}


async def push(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    *mutations: dict[str, Any],
    client_id: str = "test-device",
) -> list[dict[str, Any]]:
    response = await client.post(
        "/v1/sync/push",
        headers=headers,
        json=push_body(*mutations, client_id=client_id),
    )
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


@dataclass(frozen=True)
class Company:
    queue_id: str = "help"


ALWAYS_OPEN = {
    day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
}


def seed_company(
    db: Database,
    *,
    agents: int = 1,
    min_notice_minutes: int = 30,
    time_zone: str = "America/Chicago",
) -> None:
    """Components, two articles, and a queue `help` open and staffed around the clock for
    the next days (each agent takes 3 calls per 30-minute slot)."""
    with db.write() as conn:
        save_component(conn, component_id="flights-ord", name="Flights at ORD", group="Airports")
        save_component(conn, component_id="baggage", name="Baggage", group="Services")
        kb.save_category(conn, category=Category(id="baggage", locale="en", title="Baggage"))
        kb.save_article(
            conn,
            slug="lost-bag",
            locale="en",
            title="My bag did not arrive",
            body="Report it at the baggage desk.",
            category="baggage",
            tags=["lost luggage"],
        )
        kb.save_article(
            conn,
            slug="bag-fees",
            locale="en",
            title="Checked bag fees",
            body="The first bag costs $35.",
            category="baggage",
        )
        queues.save_queue(
            conn,
            handle_minutes=10,
            queue=CallbackQueue(
                id="help",
                name="Help",
                time_zone=time_zone,
                slot_minutes=30,
                min_notice_minutes=min_notice_minutes,
                horizon_days=3,
                hours=ALWAYS_OPEN,
            ),
        )
        start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
        queues.set_staffing(
            conn,
            queue_id="help",
            starts_at=start,
            ends_at=start + timedelta(days=4),
            agents=agents,
        )


def png_bytes() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


class Inbox:
    """A real SMTP server on loopback that keeps what reaches it."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        found = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(found, EmailMessage)
        self.messages.append(found)
        return "250 OK"
