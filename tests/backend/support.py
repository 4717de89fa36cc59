"""Helpers for tests of the hub through its API in process: requests no polite client
sends, signing in step by step, Alice's private data as the isolation tests plant it,
callbacks requested and their results, incidents published, and cases opened."""

from __future__ import annotations

import ast
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, cast

import httpx

from app.backend.crud.sign_in import pending_codes
from app.backend.db import Database
from app.backend.main import create_app
from app.backend.settings import HubSettings
from app.schemas.customers import SIGN_IN_CODE_DIGITS
from tests.support import mutation, png_bytes, push

# --- Requests ---


@asynccontextmanager
async def lenient(api: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client that gets the hub's 500 answer instead of the exception behind it."""
    transport = httpx.ASGITransport(app=api, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as c:
        yield c


@asynccontextmanager
async def custom_hub(
    settings: HubSettings, **overrides: Any
) -> AsyncIterator[tuple[httpx.AsyncClient, Database]]:
    api = create_app(settings.with_overrides(**overrides))
    try:
        async with lenient(api) as c:
            yield c, api.state.hub.db
    finally:
        api.state.hub.db.dispose()


async def raw_request(
    api: Any,
    method: str,
    path: str,
    *,
    query: bytes = b"",
    headers: Sequence[tuple[bytes, bytes]] = (),
) -> tuple[int, dict[bytes, bytes], bytes]:
    """One request straight through ASGI, with bytes no HTTP client would send as they are."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode("utf-8", "surrogateescape"),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"hub.test"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("hub.test", 80),
    }
    sent = False
    status = 0
    response_headers: dict[bytes, bytes] = {}
    body = bytearray()

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            response_headers.update((k.lower(), v) for k, v in message.get("headers", []))
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    await api(scope, receive, send)
    return status, response_headers, bytes(body)


# --- Signing in step by step ---


async def start(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post("/v1/auth/start", json={"email": email})


async def begin(client: httpx.AsyncClient, email: str) -> str:
    """Start signing in; the attempt's id."""
    response = await start(client, email)
    assert response.status_code == 202, response.text
    attempt: str = response.json()["attempt"]
    return attempt


async def verify(client: httpx.AsyncClient, email: str, attempt: str, code: str) -> httpx.Response:
    body = {"email": email, "attempt": attempt, "code": code}
    return await client.post("/v1/auth/verify", json=body)


def pending_code(db: Database, attempt: str) -> str:
    with db.read() as conn:
        codes = [c["code"] for c in pending_codes(conn, attempt=attempt)]
    assert len(codes) == 1, codes
    return codes[0]


def other_code(code: str) -> str:
    digits = SIGN_IN_CODE_DIGITS
    return f"{(int(code) + 1) % 10**digits:0{digits}d}"


def retry_after(response: httpx.Response) -> int:
    value = int(response.headers["retry-after"])
    assert value >= 1
    return value


# --- Alice's private data, as the isolation and authorization tests plant it ---


PNG = png_bytes()
SECRET = "Alice's secret: bag tag NW-7QX-4411"
ALICE_PHONE = "+13125550199"


async def upload(
    client: httpx.AsyncClient, headers: dict[str, str], name: str, data: bytes, kind: str
) -> httpx.Response:
    return await client.post("/v1/attachments", headers=headers, files={"file": (name, data, kind)})


async def upload_png(client: httpx.AsyncClient, headers: dict[str, str], name: str) -> str:
    """Upload Alice's PNG under this name; the attachment's id."""
    response = await upload(client, headers, name, PNG, "image/png")
    assert response.status_code == 201, response.text
    attachment_id: str = response.json()["id"]
    return attachment_id


def alices_first_push(queue_id: str, attachment_id: str) -> list[dict[str, Any]]:
    """Alice's case (holding the secret and a file), callback and alerts, as one push."""
    return [
        mutation(
            "case.open",
            seq=1,
            subject=SECRET,
            description=f"{SECRET} — details",
            attachments=[attachment_id],
            client_ref="alice-case-1",
        ),
        mutation(
            "callback.request",
            seq=2,
            queue=queue_id,
            mode="asap",
            phone=ALICE_PHONE,
            note=SECRET,
            client_ref="alice-cb-1",
        ),
        mutation("subscriptions.set", seq=3, keys=["ALICE-KEY"], components=["baggage"]),
    ]


# --- Callbacks ---


Json = dict[str, Any]
Headers = dict[str, str]
Client = httpx.AsyncClient
PHONE = "+13125550123"


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


async def availability(client: Client, **params: Any) -> Json:
    response = await client.get("/v1/callbacks/availability", params={"queue": "help", **params})
    assert response.status_code == 200, response.text
    return cast(Json, response.json())


async def free_slots(client: Client, **params: Any) -> list[Json]:
    return cast(list[Json], (await availability(client, limit=500, **params))["slots"])


async def request(client: Client, headers: Headers, **args: Any) -> Json:
    args = {"queue": "help", "mode": "slot", "phone": PHONE, **args}
    [result] = await push(client, headers, mutation("callback.request", **args))
    return result


def applied(result: Json) -> Json:
    assert (result["status"], result["entity"]["type"]) == ("applied", "callback"), result
    return cast(Json, result["entity"]["data"])


def rejected(result: Json, code: str) -> Json:
    assert (result["status"], result["error"]["code"]) == ("rejected", code), result
    return cast(Json, result["error"])


# --- Incidents and cases ---


async def publish(
    client: httpx.AsyncClient, operator: dict[str, str], **fields: Any
) -> dict[str, Any]:
    body = {
        "title": "Storm at ORD",
        "impact": "major",
        "components": ["flights-ord"],
        "body": "Snow is falling.",
        **fields,
    }
    response = await client.post("/v1/admin/incidents", json=body, headers=operator)
    assert response.status_code == 201, response.text
    incident: dict[str, Any] = response.json()
    return incident


async def open_case(
    client: httpx.AsyncClient, headers: dict[str, str], **args: Any
) -> dict[str, Any]:
    fields = {"subject": "Lost bag", "description": "Blue suitcase", "category": "baggage", **args}
    [result] = await push(client, headers, mutation("case.open", **fields))
    assert result["status"] == "applied", result
    case: dict[str, Any] = result["entity"]["data"]
    return case


BACKEND = Path(__file__).resolve().parents[2] / "app" / "backend"


REFUSALS = ("MutationRejected", "Rejection")


def raised_codes(source: str) -> list[str | None]:
    """The code of each refusal made in `source`: its first argument or `code=` (None
    when it is not written out, which the app could not know)."""
    found: list[str | None] = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        if node.func.id not in REFUSALS:
            continue
        given = [k.value for k in node.keywords if k.arg == "code"] or node.args[:1]
        if not given:
            continue
        code = given[0]
        if isinstance(code, ast.Constant) and isinstance(code.value, str):
            found.append(code.value)
        elif isinstance(code, ast.Attribute):
            found.append(code.attr if ast.unparse(code.value) == "RejectionCode" else None)
        else:
            found.append(None)
    return found


class Run(Protocol):
    def __call__(self, *args: str) -> tuple[int, str]: ...
