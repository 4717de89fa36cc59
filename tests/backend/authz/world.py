"""The world the authorization sweep runs in (Alice with a case, a callback and an
attachment; Bob, who tries to reach them), how one request is sent, and what every
answer must (not) contain."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI
from starlette.types import Message

from app.backend.db import Database
from tests.backend.authz.routes import Route
from tests.backend.support import ALICE_PHONE, PNG, SECRET

ALICE_EMAIL = "alice.matrix@example.com"
ALICE_FILE = "alice-boarding-pass.png"


@dataclass
class World:
    client: httpx.AsyncClient
    api: FastAPI
    db: Database
    alice: dict[str, str]
    bob: dict[str, str]
    ids: dict[str, str]
    callers: dict[str, dict[str, str]] = field(default_factory=dict)
    # Push mutations recorded while setting up (Alice's three).
    recorded: int = 0

    def private(self) -> dict[str, str]:
        """Alice's data that no one else may see, by what it is."""
        return {
            "email": ALICE_EMAIL,
            "subject": SECRET,
            "secret part": "NW-7QX",
            "phone": ALICE_PHONE,
            "file name": ALICE_FILE,
            "customer id": self.ids["alice_id"],
            "case id": self.ids["case"],
            "callback id": self.ids["callback"],
            "attachment id": self.ids["attachment"],
            "case ref": "alice-case-1",
            "token": self.alice["Authorization"].split()[-1],
        }


@dataclass(frozen=True)
class Reply:
    status: int
    headers: httpx.Headers
    text: str
    # What the caller sent (path and body): naming an id there is not learning it.
    request: str

    def json(self) -> Any:
        return httpx.Response(self.status, headers=self.headers, text=self.text).json()


def fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**ids) if "{" in value else value
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    return value


async def call(w: World, key: str, route: Route, headers: dict[str, str]) -> Reply:
    method = key.split()[0]
    path = fill(route.path, w.ids)
    if path.startswith("/v1/events"):
        return await open_stream(w, path, headers)
    files = {"file": ("matrix.png", PNG, "image/png")} if route.upload else None
    body = fill(route.json, w.ids)
    response = await w.client.request(method, path, headers=headers, json=body, files=files)
    return Reply(response.status_code, response.headers, response.text, f"{path} {body}")


async def open_stream(w: World, path: str, headers: dict[str, str]) -> Reply:
    """An event stream never ends, so it is called at the ASGI level: the answer is read
    up to its first body chunk, then the request is dropped."""
    started: asyncio.Queue[Message] = asyncio.Queue()
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"hub.test"), *raw],
        "client": ("127.0.0.1", 50_000),
        "server": ("hub.test", 80),
    }
    sent_request = False

    async def receive() -> Message:
        nonlocal sent_request
        if not sent_request:
            sent_request = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        await started.put(message)

    task = asyncio.create_task(w.api(scope, receive, send))
    try:
        start = await asyncio.wait_for(started.get(), 10)
        body = await asyncio.wait_for(started.get(), 10)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await w.api.state.hub.events.stop()
    response_headers = httpx.Headers([(k.decode(), v.decode()) for k, v in start["headers"]])
    return Reply(start["status"], response_headers, body.get("body", b"").decode(), path)


def leaks(w: World, reply: Reply) -> list[str]:
    """Alice's private data in an answer to someone else, except what the request itself
    named (an id the caller sent is their own words, not a leak)."""
    seen = reply.text + "\n" + "\n".join(f"{k}: {v}" for k, v in reply.headers.items())
    return [
        what for what, value in w.private().items() if value in seen and value not in reply.request
    ]


def check_refusal(
    w: World, label: str, reply: Reply, expected: int, scheme: str = "bearer"
) -> list[str]:
    """What is wrong with a refusal, as readable lines (empty when right); a 401 asks for
    credentials of `scheme`."""
    wrong = []
    if reply.status != expected:
        wrong.append(f"{label}: {reply.status}, expected {expected}: {reply.text[:200]}")
        return wrong
    if not reply.headers.get("content-type", "").startswith("application/problem+json"):
        wrong.append(f"{label}: not problem+json")
    elif reply.json().get("status") != expected:
        wrong.append(f"{label}: problem status {reply.json().get('status')}")
    challenge = reply.headers.get("www-authenticate", "")
    if expected == 401 and not challenge.lower().startswith(scheme):
        wrong.append(f"{label}: 401 without 'WWW-Authenticate: {scheme.title()}'")
    if expected == 403 and challenge:
        wrong.append(f"{label}: 403 with a sign-in challenge")
    wrong += [f"{label}: body or headers show Alice's {what}" for what in leaks(w, reply)]
    return wrong


async def alice_untouched(w: World) -> list[str]:
    """Refused calls changed nothing of Alice's (her session stays valid too)."""
    wrong = []
    case = await w.client.get(f"/v1/cases/{w.ids['case']}", headers=w.alice)
    if case.status_code != 200:
        return [f"Alice lost her case or session: {case.status_code} {case.text[:200]}"]
    if case.json()["status"] != "new" or case.json()["messages"] != []:
        wrong.append(f"Alice's case changed: {case.json()}")
    callback = await w.client.get(f"/v1/callbacks/{w.ids['callback']}", headers=w.alice)
    if callback.json()["status"] != "requested":
        wrong.append(f"Alice's callback changed: {callback.json()}")
    attachment = await w.client.get(f"/v1/attachments/{w.ids['attachment']}", headers=w.alice)
    if attachment.content != PNG:
        wrong.append("Alice's attachment changed")
    return wrong


# Ids of the right shape that name nothing: what Bob gets for them is what he must get
# for Alice's.
MISSING = {
    "case": "case_0000000000000000",
    "callback": "cb_0000000000000000",
    "attachment": "att_0000000000000000",
    "device": "dev_0000000000000000",
    "session": "tok_0000000000000000",
}
