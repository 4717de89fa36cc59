"""Hostile input the hub must refuse clearly (a 4xx problem or a rejected mutation) or keep
harmless, never crash on. Complements tests/backend/test_errors.py, which covers malformed
and deeply nested bodies, NUL characters in mutations and the basic attachment checks."""

from __future__ import annotations

import unicodedata
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from app.backend.db import Database
from app.backend.main import create_app
from app.backend.settings import HubSettings
from tests.support import Company, assert_problem, mutation, push, push_body, sign_in

PHONE = "+13125550123"
MEGABYTE = "x" * 1_000_000
CONTROL = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x08\x7f\x9b"  # OSC 52, clear screen, C1 CSI
DEEP = 900  # Deep, but still within what Python's JSON parser reads.


@asynccontextmanager
async def lenient(api: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client that gets the hub's 500 answer instead of the exception behind it."""
    transport = httpx.ASGITransport(app=api, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as c:
        yield c


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


def has_control_characters(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in text)


# --- Deep nesting that parses, then reaches validation and storage. ---


def nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("method", "path", "body", "as_operator"),
    [
        ("POST", "/v1/sync/push", push_body(mutation("case.open", subject=nested(DEEP))), False),
        (
            "POST",
            "/v1/sync/push",
            push_body(mutation("case.open", subject="s", description="d", extra=nested(DEEP))),
            False,
        ),
        (
            "POST",
            "/v1/sync/push",
            push_body(mutation("subscriptions.set", keys=nested(DEEP))),
            False,
        ),
        ("PUT", "/v1/admin/queues/help/hours", {"hours": {"mon": nested(DEEP)}}, True),
        (
            "PUT",
            "/v1/admin/kb/articles/en/deep",
            {"title": "t", "body": "b", "category": "baggage", "tags": nested(DEEP)},
            True,
        ),
        ("POST", "/v1/admin/incidents", {"title": nested(DEEP), "impact": "minor"}, True),
    ],
    ids=["arg", "unknown-arg", "keys", "hours", "tags", "incident-title"],
)
async def test_deep_values_inside_valid_json_never_500(
    hub_app: Any,
    alice: dict[str, str],
    operator: dict[str, str],
    company: Company,
    method: str,
    path: str,
    body: Any,
    as_operator: bool,
) -> None:
    async with lenient(hub_app) as client:
        headers = operator if as_operator else alice
        response = await client.request(method, path, headers=headers, json=body)
    if response.status_code == 200 and path == "/v1/sync/push":
        [result] = response.json()["results"]
        # An unknown argument is ignored; a deep value where text belongs is refused.
        assert result["status"] == ("applied" if "extra" in str(body)[:200] else "rejected")
    else:
        assert_problem(response, 422)


# --- Invalid UTF-8 in the address and in headers. ---


@pytest.mark.parametrize("locale", [b"%ff%fe", b"\xff\xfe", b"e%c3%28"])
async def test_invalid_utf8_in_a_query_is_a_4xx_problem(hub_app: Any, locale: bytes) -> None:
    query = b"locale=" + locale
    status, headers, body = await raw_request(hub_app, "GET", "/v1/kb/articles", query=query)
    assert status == 422, body
    assert headers[b"content-type"].startswith(b"application/problem+json")


@pytest.mark.parametrize(
    "path", ["/v1/kb/articles/\ufffd", "/v1/incidents/\ufffd\ufffd", "/v1/sync/pull"]
)
@pytest.mark.parametrize("query", [b"cursor=%ff%fe", b"cursor=\xc3\x28", b"queue=%ff"])
async def test_invalid_utf8_in_a_path_or_cursor_never_500(
    hub_app: Any, alice: dict[str, str], path: str, query: bytes
) -> None:
    """Servers decode %FF in a path to U+FFFD; ids and cursors that make no sense are 4xx
    problems, unknown parameters are ignored."""
    bearer = [(b"authorization", alice["Authorization"].encode())]
    status, headers, body = await raw_request(hub_app, "GET", path, query=query, headers=bearer)
    if query.startswith(b"queue="):
        assert status in (200, 404), body
    else:
        assert 400 <= status < 500, body
    if status != 200:
        assert headers[b"content-type"].startswith(b"application/problem+json")


@pytest.mark.parametrize(
    ("path", "header"),
    [
        ("/v1/me", b"authorization"),
        ("/v1/admin/tokens", b"authorization"),
        ("/v1/status", b"if-none-match"),
        ("/v1/kb/changes", b"if-none-match"),
        ("/v1/kb/articles", b"accept-language"),
    ],
)
async def test_invalid_utf8_in_headers_never_500(hub_app: Any, path: str, header: bytes) -> None:
    value = b"Bearer \xff\xfe\xc3\x28" if header == b"authorization" else b'"\xff\xfe"'
    status, _headers, body = await raw_request(hub_app, "GET", path, headers=[(header, value)])
    assert status in ((401,) if header == b"authorization" else (200,)), body


async def test_invalid_utf8_in_the_idempotency_key_never_500(
    hub_app: Any, alice: dict[str, str]
) -> None:
    async with lenient(hub_app) as client:
        response = await client.post(
            "/v1/attachments",
            headers={**alice, "Idempotency-Key": b"\xff\xfe\xc3\x28"},
            files={"file": ("a.txt", b"hello", "text/plain")},
        )
    assert response.status_code == 201, response.text


# --- Control characters in what customers write. ---


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("case.open", {"subject": f"Lost bag{CONTROL}", "description": "d"}),
        ("case.open", {"subject": "Lost bag\r\nX-Injected: 1", "description": "d"}),
        ("case.open", {"subject": "Lost bag", "description": f"Not on the belt{CONTROL}"}),
        ("case.open", {"subject": "Lost bag", "description": "d", "category": "a\x1bb"}),
        ("case.reply", {"case": "mine", "body": f"Any news?{CONTROL}"}),
        ("callback.request", {"queue": "help", "mode": "asap", "phone": PHONE, "note": CONTROL}),
        ("article.feedback", {"article": "lost-bag", "helpful": False, "comment": CONTROL}),
    ],
    ids=["subject", "subject-crlf", "description", "category", "reply", "note", "comment"],
)
async def test_control_characters_in_customer_text_are_rejected(
    client: httpx.AsyncClient,
    alice: dict[str, str],
    company: Company,
    name: str,
    args: dict[str, Any],
) -> None:
    await push(
        client, alice, mutation("case.open", subject="s", description="d", client_ref="mine")
    )
    [result] = await push(client, alice, mutation(name, **args))
    assert result["status"] == "rejected", result
    assert result["error"]["code"] == "invalid"
    assert "control characters" in result["error"]["detail"]


async def test_tabs_and_line_breaks_are_kept_in_longer_text(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    description = "Flight:\tNW 412\r\nBag tag:\t0123\nColour: red"
    [result] = await push(
        client, alice, mutation("case.open", subject="Lost bag", description=description)
    )
    assert result["status"] == "applied", result
    case_id = result["entity"]["id"]
    case = (await client.get(f"/v1/cases/{case_id}", headers=alice)).json()
    assert case["description"] == description


# --- 1 MB strings. ---


async def test_a_megabyte_in_a_field_is_413_at_the_default_limit(
    client: httpx.AsyncClient, alice: dict[str, str], operator: dict[str, str]
) -> None:
    subject = push_body(mutation("case.open", subject=MEGABYTE, description="d"))
    assert_problem(await client.post("/v1/sync/push", headers=alice, json=subject), 413)
    article = {"title": "t", "body": MEGABYTE, "category": "baggage"}
    put = await client.put("/v1/admin/kb/articles/en/big", headers=operator, json=article)
    assert_problem(put, 413)


async def test_a_megabyte_under_a_higher_limit_is_refused_without_being_echoed(
    settings: HubSettings,
) -> None:
    api = create_app(settings.with_overrides(max_json_bytes=3_000_000))
    try:
        async with lenient(api) as client:
            db: Database = api.state.hub.db
            headers = await sign_in(client, db, "carol@example.com")
            for args in (
                {"subject": MEGABYTE, "description": "d"},
                {"subject": "s", "description": MEGABYTE},
                {"subject": "s", "description": "d", "client_ref": MEGABYTE},
            ):
                body = push_body(mutation("case.open", **args))
                response = await client.post("/v1/sync/push", headers=headers, json=body)
                assert response.status_code == 200, response.text[:500]
                assert response.json()["results"][0]["status"] == "rejected"
                assert len(response.content) < 10_000
            for path, json in (
                ("/v1/auth/start", {"email": f"{MEGABYTE}@example.com"}),
                ("/v1/auth/verify", {"email": "carol@example.com", "code": MEGABYTE}),
                ("/v1/sync/push", {"client_id": MEGABYTE, "mutations": []}),
            ):
                response = await client.post(path, headers=headers, json=json)
                assert_problem(response, 422)
                assert len(response.content) < 10_000
            assert (await client.get("/v1/cases", headers=headers)).json()["items"] == []
    finally:
        api.state.hub.db.dispose()


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/v1/kb/articles", b"cursor=" + MEGABYTE.encode()),
        ("/v1/kb/changes", b"cursor=" + MEGABYTE.encode()),
        ("/v1/callbacks/availability", b"queue=" + MEGABYTE.encode()),
        ("/v1/incidents", b"cursor=" + MEGABYTE.encode()),
    ],
)
async def test_a_megabyte_in_a_query_is_422(hub_app: Any, path: str, query: bytes) -> None:
    status, headers, body = await raw_request(hub_app, "GET", path, query=query)
    assert status == 422, body[:500]
    assert headers[b"content-type"].startswith(b"application/problem+json")
    assert len(body) < 10_000


async def test_a_megabyte_token_is_401(hub_app: Any) -> None:
    bearer = b"Bearer " + MEGABYTE.encode()
    status, _headers, body = await raw_request(
        hub_app, "GET", "/v1/me", headers=[(b"authorization", bearer)]
    )
    assert status == 401, body[:500]


# --- Attachments: content that is not its type, names that try to be paths. ---

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


async def upload(
    client: httpx.AsyncClient, headers: dict[str, str], name: str, data: bytes, kind: str
) -> httpx.Response:
    return await client.post("/v1/attachments", headers=headers, files={"file": (name, data, kind)})


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"<html><script>alert(1)</script></html>", "image/gif"),
        (PNG, "image/jpeg"),
        (b"RIFF\x10\x00\x00\x00AVI LIST", "image/webp"),
        (b"%PDF", "image/png"),
        (b"GIF89a", "application/pdf"),
        (b"caf\xe9 au lait", "text/plain"),
        (b"hello\x00world", "text/plain"),
    ],
    ids=["html-as-gif", "png-as-jpeg", "avi-as-webp", "pdf-as-png", "gif-as-pdf", "latin1", "nul"],
)
async def test_content_that_is_not_its_type_is_422(
    client: httpx.AsyncClient, alice: dict[str, str], data: bytes, kind: str
) -> None:
    assert_problem(await upload(client, alice, "file.bin", data, kind), 422)


@pytest.mark.parametrize("kind", ["IMAGE/PNG", "image/png; name=evil.html", "image/png;x=y"])
async def test_type_parameters_and_case_are_normalized(
    client: httpx.AsyncClient, alice: dict[str, str], kind: str
) -> None:
    response = await upload(client, alice, "photo.png", PNG, kind)
    assert response.status_code == 201, response.text
    assert response.json()["content_type"] == "image/png"


async def test_html_sent_as_text_is_served_as_an_inert_text_download(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    page = b"<!doctype html><script>alert(document.cookie)</script>"
    response = await upload(client, alice, "notes.html", page, "text/plain")
    assert response.status_code == 201, response.text
    download = await client.get(f"/v1/attachments/{response.json()['id']}", headers=alice)
    assert download.content == page
    assert download.headers["content-type"].startswith("text/plain")
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert "sandbox" in download.headers["content-security-policy"]


def multipart_upload(name: bytes, data: bytes) -> tuple[dict[str, str], bytes]:
    """A multipart body with the file name's bytes exactly as given (clients escape some)."""
    boundary = b"careline-hostile-boundary"
    body = (
        b"--" + boundary + b"\r\n"
        b'Content-Disposition: form-data; name="file"; filename="' + name + b'"\r\n'
        b"Content-Type: text/plain\r\n\r\n" + data + b"\r\n--" + boundary + b"--\r\n"
    )
    return {"content-type": f"multipart/form-data; boundary={boundary.decode()}"}, body


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        (b"/etc/passwd", "passwd"),
        (b"/", "attachment"),
        (b"C:\\Windows\\System32\\drivers\\etc\\hosts.txt", "hosts.txt"),
        (b"\\\\server\\share\\note.txt", "note.txt"),
        (b"..", "attachment"),
        (b"../", "attachment"),
        (b"....//....//secret.txt", "secret.txt"),
        (b"report.txt\x00.png", "report.txt.png"),
        (b"a\x1b[31mred\x07.txt", "a[31mred.txt"),
        ("invoice\u202etxt.exe".encode(), "invoicetxt.exe"),
        (b"x" * 1_000 + b".txt", "x" * 120),
    ],
    ids=[
        "absolute",
        "root",
        "windows",
        "unc",
        "dots",
        "dots-slash",
        "doubled-dots",
        "nul",
        "control",
        "rtl-override",
        "long",
    ],
)
async def test_file_names_become_one_plain_name(
    client: httpx.AsyncClient, alice: dict[str, str], sent: bytes, stored: str
) -> None:
    headers, body = multipart_upload(sent, b"hello")
    response = await client.post("/v1/attachments", headers={**alice, **headers}, content=body)
    assert response.status_code == 201, response.text
    name = response.json()["filename"]
    assert name == stored
    assert not has_control_characters(name)
    assert "/" not in name and "\\" not in name
    download = await client.get(f"/v1/attachments/{response.json()['id']}", headers=alice)
    disposition = download.headers["content-disposition"]
    assert not has_control_characters(disposition)
    assert disposition.count('"') == 2


# --- Markdown with script links and raw HTML: kept as text, never served as a page. ---

HOSTILE_MARKDOWN = (
    "Rebook [here](javascript:alert(document.cookie)) or <javascript:alert(1)>.\n\n"
    '<a href="javascript:alert(1)">click</a> <img src=x onerror=alert(1)>\n\n'
    "<script>alert(1)</script>\n\n[call us](tel:+13125550123)\n"
)


async def test_hostile_markdown_in_an_article_is_stored_as_text_and_served_as_json(
    client: httpx.AsyncClient, operator: dict[str, str], company: Company
) -> None:
    article = {"title": "Rebooking", "body": HOSTILE_MARKDOWN, "category": "baggage"}
    saved = await client.put("/v1/admin/kb/articles/en/rebook", headers=operator, json=article)
    assert saved.status_code == 200, saved.text
    served = await client.get("/v1/kb/articles/rebook")
    assert served.headers["content-type"] == "application/json"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-security-policy"].startswith("default-src 'none'")
    assert served.json()["body"] == HOSTILE_MARKDOWN


async def test_hostile_markdown_in_an_agent_reply_reaches_the_customer_as_text(
    client: httpx.AsyncClient, alice: dict[str, str], operator: dict[str, str]
) -> None:
    [opened] = await push(client, alice, mutation("case.open", subject="s", description="d"))
    case_id = opened["entity"]["id"]
    reply = {"body": HOSTILE_MARKDOWN, "author_name": "<b>Support</b>"}
    answered = await client.post(f"/v1/admin/cases/{case_id}/replies", headers=operator, json=reply)
    assert answered.status_code == 200, answered.text
    case = await client.get(f"/v1/cases/{case_id}", headers=alice)
    assert case.headers["content-type"] == "application/json"
    [message] = [m for m in case.json()["messages"] if m["author"] == "agent"]
    assert message["body"] == HOSTILE_MARKDOWN.strip()
    assert message["author_name"] == "<b>Support</b>"


# --- What the fuzzer found (tests/backend/test_fuzz.py), pinned down. ---


async def test_years_before_1000_round_trip(
    client: httpx.AsyncClient, operator: dict[str, str]
) -> None:
    window = {"scheduled_for": "0211-01-16T10:30:54Z", "scheduled_until": "0211-01-17T00:00:00Z"}
    body = {"title": "t", "impact": "minor", "body": "b", "kind": "maintenance", **window}
    response = await client.post("/v1/admin/incidents", headers=operator, json=body)
    assert response.status_code == 201, response.text
    assert response.json()["scheduled_for"] == "0211-01-16T10:30:54.000000Z"
    assert (await client.get("/v1/incidents")).status_code == 200


EARLY = "0001-01-01T00:00:00+01:00"  # Year 0 in UTC: no such datetime.
LATE = "9999-12-31T23:59:59-01:00"  # Year 10000 in UTC.


async def test_times_without_a_utc_equivalent_are_refused(
    hub_app: Any, alice: dict[str, str], operator: dict[str, str], company: Company
) -> None:
    async with lenient(hub_app) as client:
        for moment in (EARLY, LATE):
            incident = {"title": "t", "impact": "minor", "body": "b", "scheduled_for": moment}
            response = await client.post("/v1/admin/incidents", headers=operator, json=incident)
            assert_problem(response, 422)
            staffing = {"starts_at": "2030-01-01T00:00:00Z", "ends_at": moment, "agents": 1}
            response = await client.put(
                "/v1/admin/queues/help/staffing", headers=operator, json=staffing
            )
            assert_problem(response, 422)
            stamped = {**mutation("case.open", subject="s", description="d"), "created_at": moment}
            response = await client.post("/v1/sync/push", headers=alice, json=push_body(stamped))
            assert_problem(response, 422)
            slot = mutation(
                "callback.request", queue="help", mode="slot", phone=PHONE, slot_start=moment
            )
            [result] = await push(client, alice, slot)
            assert result["status"] == "rejected"


async def test_a_maintenance_window_must_not_end_before_it_starts(
    client: httpx.AsyncClient, operator: dict[str, str]
) -> None:
    body = {
        "title": "t",
        "impact": "minor",
        "body": "b",
        "kind": "maintenance",
        "scheduled_for": "2030-01-02T00:00:00Z",
        "scheduled_until": "2030-01-01T00:00:00Z",
    }
    assert_problem(await client.post("/v1/admin/incidents", headers=operator, json=body), 422)


async def test_a_nul_in_a_json_key_is_a_422_problem(hub_app: Any, operator: dict[str, str]) -> None:
    async with lenient(hub_app) as client:
        body = {"hours": {"mon": 5, "x\x00y": 7}}
        response = await client.put("/v1/admin/queues/help/hours", headers=operator, json=body)
    problem = assert_problem(response, 422)
    assert ["body", "hours", "x\ufffdy"] in [error["loc"] for error in problem["errors"]]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PATCH", "/v1/admin/tokens", "GET, POST"),
        ("POST", "/v1/admin/kb/articles/en/x", "PUT, DELETE"),
        ("DELETE", "/v1/status", "GET"),
        ("PUT", "/v1/me", "GET, DELETE"),
    ],
)
async def test_405_names_every_method_of_the_path(
    client: httpx.AsyncClient, method: str, path: str, allowed: str
) -> None:
    response = await client.request(method, path)
    assert_problem(response, 405)
    assert response.headers["allow"] == allowed
