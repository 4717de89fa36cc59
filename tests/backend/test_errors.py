"""Every failure a client can cause is a problem+json 4xx, never a crash; attachments are
checked and always served as downloads."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from app.backend.crud import auth
from app.backend.db import Database
from app.backend.main import create_app
from app.backend.settings import HubSettings
from app.schemas import MutationName
from tests.support import Company, assert_problem, bearer, mutation, push, push_body, sign_in

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(200))
PHONE = "+13125550123"


def error_locations(body: dict[str, Any]) -> list[list[str | int]]:
    return [error["loc"] for error in body["errors"]]


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


async def test_unknown_route_is_404_problem(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/v1/no-such-thing"), 404)


async def test_wrong_method_is_405_problem(client: httpx.AsyncClient) -> None:
    response = await client.delete("/v1/status")
    assert_problem(response, 405)
    assert "GET" in response.headers["allow"]


async def test_malformed_json_is_400(client: httpx.AsyncClient, alice: dict[str, str]) -> None:
    response = await client.post(
        "/v1/sync/push",
        headers={**alice, "content-type": "application/json"},
        content=b'{"client_id": "x", "mutations": [',
    )
    assert assert_problem(response, 400)["type"].endswith("malformed-json")


async def test_json_of_the_wrong_shape_is_422_with_locations(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    body = {"client_id": "", "mutations": [{"seq": "first", "name": "case.open"}]}
    problem = assert_problem(await client.post("/v1/sync/push", headers=alice, json=body), 422)
    assert problem["type"].endswith("validation")
    locations = error_locations(problem)
    for expected in (
        ["body", "client_id"],
        ["body", "mutations", 0, "seq"],
        ["body", "mutations", 0, "key"],
        ["body", "mutations", 0, "created_at"],
    ):
        assert expected in locations
    array = await client.post("/v1/sync/push", headers=alice, json=[1, 2])
    assert ["body"] in error_locations(assert_problem(array, 422))


@pytest.mark.parametrize(
    "content",
    [
        b'{"client_id": "\xff\xfe", "mutations": []}',
        b'{"email": "\xc3\x28@example.com"}',
        b"[" * 100_000,
        b'{"client_id": "d", "mutations": [], "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"client_id": "d", "mutations": [], "x": ' + b'{"a":' * 50_000 + b"1" + b"}" * 50_001,
    ],
    ids=["invalid-utf8", "invalid-utf8-email", "open-brackets", "deep-arrays", "deep-objects"],
)
async def test_unparseable_bodies_are_4xx_problems(
    client: httpx.AsyncClient, alice: dict[str, str], content: bytes
) -> None:
    headers = {**alice, "content-type": "application/json"}
    for path in ("/v1/sync/push", "/v1/auth/start"):
        assert_problem(await client.post(path, headers=headers, content=content))


async def test_bodies_over_the_limit_are_413(settings: HubSettings) -> None:
    async with custom_hub(settings, max_json_bytes=2_000) as (client, db):
        headers = await sign_in(client, db, "carol@example.com")
        small = push_body(mutation("case.open", subject="s", description="d" * 1_000))
        assert (await client.post("/v1/sync/push", headers=headers, json=small)).status_code == 200
        large = push_body(mutation("case.open", subject="s", description="d" * 3_000))
        response = await client.post("/v1/sync/push", headers=headers, json=large)
        assert_problem(response, 413)

        async def chunks() -> AsyncIterator[bytes]:
            yield b'{"client_id": "d", "mutations": [], "pad": "'
            for _ in range(10):
                yield b"x" * 500
            yield b'"}'

        chunked = await client.post(
            "/v1/sync/push",
            headers={**headers, "content-type": "application/json"},
            content=chunks(),
        )
        assert_problem(chunked, 413)
        # Nothing was applied by the refused bodies.
        cases = (await client.get("/v1/cases", headers=headers)).json()["items"]
        assert len(cases) == 1


@pytest.mark.parametrize("cursor", ["abc", "-1", "1.5", "0x10"])
async def test_invalid_pull_cursor_is_400(
    client: httpx.AsyncClient, alice: dict[str, str], cursor: str
) -> None:
    response = await client.get("/v1/sync/pull", headers=alice, params={"cursor": cursor})
    assert assert_problem(response, 400)["type"].endswith("invalid-cursor")


@pytest.mark.parametrize("limit", ["0", "1001", "-5", "ten"])
async def test_pull_limit_out_of_range_is_422(
    client: httpx.AsyncClient, alice: dict[str, str], limit: str
) -> None:
    response = await client.get("/v1/sync/pull", headers=alice, params={"limit": limit})
    assert ["query", "limit"] in error_locations(assert_problem(response, 422))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "case.delete"),
        ("name", ""),
        ("key", "not-a-uuid"),
        ("key", "1234"),
        ("key", str(uuid.uuid4()) + "0"),
        ("seq", -1),
        ("created_at", "yesterday"),
    ],
)
async def test_invalid_mutation_envelope_is_422(
    client: httpx.AsyncClient, alice: dict[str, str], field: str, value: Any
) -> None:
    entry = {**mutation("case.open", subject="s", description="d"), field: value}
    response = await client.post("/v1/sync/push", headers=alice, json=push_body(entry))
    assert ["body", "mutations", 0, field] in error_locations(assert_problem(response, 422))


def slot_args(slot_start: str) -> dict[str, Any]:
    return {"queue": "help", "mode": "slot", "phone": PHONE, "slot_start": slot_start}


EDGE_MUTATIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "naive-slot": ("callback.request", slot_args("2030-01-07T10:00:00")),
    "max-slot": ("callback.request", slot_args("9999-12-31T23:59:59+00:00")),
    "min-slot": ("callback.request", slot_args("0001-01-01T00:00:00+00:00")),
    "nul-subject": ("case.open", {"subject": "bag\x00", "description": "d"}),
    "nul-endpoint": ("device.register", {"platform": "fcm", "endpoint": "e\x00"}),
}


@pytest.mark.parametrize("case", sorted(EDGE_MUTATIONS))
async def test_edge_values_in_mutations_never_500(
    hub_app: Any, alice: dict[str, str], company: Company, case: str
) -> None:
    name, args = EDGE_MUTATIONS[case]
    async with lenient(hub_app) as client:
        body = push_body(mutation(name, **args))
        response = await client.post("/v1/sync/push", headers=alice, json=body)
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["status"] in ("applied", "rejected")


@pytest.mark.parametrize(
    "slot_start", ["2030-01-07T10:00:00", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"]
)
async def test_reschedule_to_an_impossible_time_is_rejected(
    hub_app: Any, alice: dict[str, str], company: Company, slot_start: str
) -> None:
    async with lenient(hub_app) as client:
        [booked] = await push(
            client, alice, mutation("callback.request", queue="help", mode="asap", phone=PHONE)
        )
        callback_id = booked["entity"]["id"]
        body = push_body(
            mutation("callback.reschedule", callback=callback_id, slot_start=slot_start)
        )
        response = await client.post("/v1/sync/push", headers=alice, json=body)
        assert response.status_code == 200, response.text
        assert response.json()["results"][0]["status"] == "rejected"
        after = await client.get(f"/v1/callbacks/{callback_id}", headers=alice)
        assert after.json()["status"] == "requested"


ENTRY = mutation("case.open", subject="s", description="d")
EDGE_REQUESTS: dict[str, tuple[str, str, Any, dict[str, str] | None]] = {
    "seq-beyond-bigint": ("POST", "/v1/sync/push", push_body({**ENTRY, "seq": 2**63}), None),
    "nul-client-id": ("POST", "/v1/sync/push", push_body(ENTRY, client_id="phone\x00"), None),
    "huge-case-cursor": ("GET", "/v1/cases", None, {"cursor": str(10**30)}),
    "nul-email": ("POST", "/v1/auth/start", {"email": "a\x00b@example.com"}, None),
}


@pytest.mark.parametrize("case", sorted(EDGE_REQUESTS))
async def test_edge_values_in_requests_never_500(
    hub_app: Any, alice: dict[str, str], case: str
) -> None:
    method, path, body, params = EDGE_REQUESTS[case]
    async with lenient(hub_app) as client:
        response = await client.request(method, path, headers=alice, json=body, params=params)
    assert response.status_code < 500, response.text


# --- Property: random arguments for every mutation never crash the hub. ---

INTERESTING = ["help", "asap", "slot", PHONE, "lost-bag", "baggage", "webpush", "22:00", "UTC"]
FIELDS = sorted(
    {"subject", "description", "category", "attachments", "incident_id", "client_ref", "case"}
    | {"body", "queue", "mode", "phone", "slot_start", "note", "callback", "article"}
    | {"helpful", "comment", "components", "keys", "quiet_hours", "time_zone", "platform"}
    | {"endpoint"}
)
TIMES = st.datetimes(timezones=st.none() | st.just(UTC)).map(lambda moment: moment.isoformat())
LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(INTERESTING)
    | TIMES
)
JSON_VALUES = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def spoilt_fields(name: MutationName) -> st.SearchStrategy[dict[str, Any]]:
    """One of the mutation's own fields set to a random value (often a time), plus maybe a
    few other fields."""
    own = st.dictionaries(
        st.sampled_from(sorted(base_args(name, "", ""))),
        TIMES | JSON_VALUES,
        min_size=1,
        max_size=1,
    )
    other = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), JSON_VALUES, max_size=2)
    return st.builds(lambda mine, more: {**more, **mine}, own, other)


def base_args(name: MutationName, slot: str, callback_id: str) -> dict[str, Any]:
    """Arguments that would be accepted, for the fuzzer to spoil one field at a time."""
    return {
        MutationName.case_open: {"subject": "Lost bag", "description": "Not on the belt."},
        MutationName.case_reply: {"case": "fuzz-case", "body": "Any news?"},
        MutationName.case_close: {"case": "fuzz-case"},
        MutationName.callback_request: slot_args(slot),
        MutationName.callback_cancel: {"callback": callback_id},
        MutationName.callback_reschedule: {"callback": callback_id, "slot_start": slot},
        MutationName.article_feedback: {"article": "lost-bag", "helpful": True},
        MutationName.subscriptions_set: {"keys": ["NW12"], "quiet_hours": ["22:00", "07:00"]},
        MutationName.subscriptions_join: {"keys": ["NW13"], "components": ["baggage"]},
        MutationName.device_register: {"platform": "webpush", "endpoint": "https://p.example"},
    }[name]


def fresh_customer(db: Database, settings: HubSettings) -> dict[str, str]:
    with db.write() as conn:
        customer = auth.ensure_customer(conn, email=f"fuzz-{uuid.uuid4().hex}@example.com")
        session = auth.issue_customer_session(conn, customer=customer, settings=settings)
    return bearer(session.token)


ORDER = [
    MutationName.callback_request,
    MutationName.case_open,
    MutationName.case_reply,
    MutationName.article_feedback,
    MutationName.subscriptions_set,
    MutationName.subscriptions_join,
    MutationName.device_register,
    MutationName.callback_reschedule,
    MutationName.callback_cancel,
    MutationName.case_close,
]


@given(data=st.data())
@hypothesis_settings(
    max_examples=40,
    deadline=None,
    database=None,
    print_blob=True,
    phases=[Phase.explicit, Phase.generate],  # The assertion names the failing call.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_random_mutation_args_never_crash_the_hub(
    hub_app: Any, db: Database, settings: HubSettings, company: Company, data: st.DataObject
) -> None:
    assert sorted(ORDER) == sorted(MutationName)
    headers = fresh_customer(db, settings)
    slot = (datetime.now(UTC) + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    # Per mutation: either arguments from scratch, or accepted ones with a few fields spoilt.
    drawn = {
        name: (
            data.draw(st.sampled_from([True, False, False]), label=f"{name} from scratch"),
            data.draw(spoilt_fields(name), label=f"{name} args"),
        )
        for name in ORDER
    }

    async def send(client: httpx.AsyncClient, name: MutationName, args: Any) -> None:
        entry = {**mutation(name.value), "args": args}
        response = await client.post("/v1/sync/push", headers=headers, json=push_body(entry))
        assert response.status_code < 500, (name.value, args, response.text)
        if response.status_code == 200:
            [result] = response.json()["results"]
            assert result["status"] in ("applied", "rejected"), result
        else:
            assert_problem(response)

    async def run() -> None:
        async with lenient(hub_app) as client:
            case = mutation("case.open", subject="s", description="d", client_ref="fuzz-case")
            await push(client, headers, case)
            callback_id = "none"
            for name in ORDER:
                if name is MutationName.callback_reschedule:
                    mine = (await client.get("/v1/callbacks", headers=headers)).json()["items"]
                    if not mine:
                        booking = mutation(
                            "callback.request", queue="help", mode="asap", phone=PHONE
                        )
                        mine = [(await push(client, headers, booking))[0]["entity"]]
                    callback_id = mine[0]["id"]
                scratch, changes = drawn[name]
                later = (slot + timedelta(minutes=30)).isoformat()
                base = base_args(
                    name, later if "reschedule" in name else slot.isoformat(), callback_id
                )
                await send(client, name, changes if scratch else {**base, **changes})

    asyncio.run(run())


# --- Attachments ---


async def upload(
    client: httpx.AsyncClient, headers: dict[str, str], name: str, data: bytes, kind: str
) -> httpx.Response:
    return await client.post("/v1/attachments", headers=headers, files={"file": (name, data, kind)})


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("tool.exe", "application/x-msdownload"),
        ("page.html", "text/html"),
        ("x.svg", "image/svg+xml"),
    ],
)
async def test_unsupported_attachment_type_is_415(
    client: httpx.AsyncClient, alice: dict[str, str], name: str, kind: str
) -> None:
    assert_problem(await upload(client, alice, name, b"MZ\x90\x00<svg/>", kind), 415)


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("photo.png", b"just some text", "image/png"),
        ("scan.pdf", PNG, "application/pdf"),
        ("notes.txt", b"\xff\xfe\x00binary", "text/plain"),
        ("empty.txt", b"", "text/plain"),
    ],
)
async def test_attachment_content_must_match_its_type(
    client: httpx.AsyncClient, alice: dict[str, str], name: str, data: bytes, kind: str
) -> None:
    assert_problem(await upload(client, alice, name, data, kind), 422)


async def test_oversized_attachment_is_413(settings: HubSettings) -> None:
    async with custom_hub(settings, max_attachment_bytes=1_000) as (client, db):
        headers = await sign_in(client, db, "carol@example.com")
        assert (await upload(client, headers, "ok.png", PNG, "image/png")).status_code == 201
        big = PNG + b"\x00" * 1_000
        assert_problem(await upload(client, headers, "big.png", big, "image/png"), 413)
        huge = PNG + b"\x00" * 100_000  # Over the request limit: refused before parsing.
        assert_problem(await upload(client, headers, "huge.png", huge, "image/png"), 413)


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\boot.txt", "boot.txt"),
        (".hidden", "hidden"),
    ],
)
async def test_file_names_lose_their_path(
    client: httpx.AsyncClient, alice: dict[str, str], sent: str, stored: str
) -> None:
    response = await upload(client, alice, sent, b"hello", "text/plain")
    assert response.status_code == 201, response.text
    assert response.json()["filename"] == stored
    download = await client.get(f"/v1/attachments/{response.json()['id']}", headers=alice)
    assert f'filename="{stored}"' in download.headers["content-disposition"]


async def test_download_is_an_attachment_with_utf8_file_name(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    name = "Résumé ✈ 東京.png"
    response = await upload(client, alice, name, PNG, "image/png")
    assert response.status_code == 201, response.text
    assert response.json()["filename"] == name
    download = await client.get(f"/v1/attachments/{response.json()['id']}", headers=alice)
    assert download.status_code == 200
    assert download.content == PNG
    assert download.headers["content-type"] == "image/png"
    assert download.headers["x-content-type-options"] == "nosniff"
    disposition = download.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert disposition.isascii()
    encoded = disposition.split("filename*=", 1)[1].split(";")[0].strip()
    assert encoded.startswith("UTF-8''")
    assert unquote(encoded.removeprefix("UTF-8''"), encoding="utf-8") == name
