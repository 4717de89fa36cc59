"""A customer can never read or change another customer's data; operator endpoints need
an operator token with the right scope."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from app.backend.db import Database
from tests.backend.support import ALICE_PHONE, PNG, SECRET, alices_first_push, upload_png
from tests.support import Company, assert_problem, bearer, mutation, operator_headers, push


def assert_no_leak(*responses: httpx.Response) -> None:
    for response in responses:
        for private in (SECRET, "NW-7QX", ALICE_PHONE, "alice@example.com", "ALICE-KEY"):
            assert private not in response.text, response.text


@dataclass(frozen=True)
class AliceData:
    case_id: str
    case_number: int
    attachment_id: str
    spare_attachment_id: str
    callback_id: str


@pytest.fixture
async def alice_data(
    client: httpx.AsyncClient, alice: dict[str, str], company: Company
) -> AliceData:
    attachment_id = await upload_png(client, alice, "boarding-pass.png")
    spare_attachment_id = await upload_png(client, alice, "receipt.png")
    results = await push(client, alice, *alices_first_push(company.queue_id, attachment_id))
    assert [r["status"] for r in results] == ["applied"] * 3, results
    case, callback = results[0]["entity"]["data"], results[1]["entity"]["data"]
    return AliceData(
        case_id=case["id"],
        case_number=case["number"],
        attachment_id=attachment_id,
        spare_attachment_id=spare_attachment_id,
        callback_id=callback["id"],
    )


async def test_bob_cannot_read_alices_case(
    client: httpx.AsyncClient, alice: dict[str, str], bob: dict[str, str], alice_data: AliceData
) -> None:
    assert (await client.get(f"/v1/cases/{alice_data.case_id}", headers=alice)).status_code == 200
    missing = await client.get("/v1/cases/case_0000000000000000", headers=bob)
    assert_problem(missing, 404)
    for ref in (alice_data.case_id, str(alice_data.case_number), "alice-case-1"):
        response = await client.get(f"/v1/cases/{ref}", headers=bob)
        assert_problem(response, 404)
        # Not even a different answer than for a case that does not exist.
        assert response.json() == missing.json()
        assert_no_leak(response)
    listing = await client.get("/v1/cases", headers=bob)
    assert listing.status_code == 200
    assert listing.json()["items"] == []


async def test_bob_cannot_download_alices_attachments(
    client: httpx.AsyncClient, alice: dict[str, str], bob: dict[str, str], alice_data: AliceData
) -> None:
    for attachment_id in (alice_data.attachment_id, alice_data.spare_attachment_id):
        own = await client.get(f"/v1/attachments/{attachment_id}", headers=alice)
        assert own.status_code == 200
        assert own.content == PNG
        response = await client.get(f"/v1/attachments/{attachment_id}", headers=bob)
        assert_problem(response, 404)
        assert PNG not in response.content
        assert_no_leak(response)


async def test_bob_cannot_read_alices_callback(
    client: httpx.AsyncClient, alice: dict[str, str], bob: dict[str, str], alice_data: AliceData
) -> None:
    path = f"/v1/callbacks/{alice_data.callback_id}"
    assert (await client.get(path, headers=alice)).json()["phone"] == ALICE_PHONE
    response = await client.get(path, headers=bob)
    assert_problem(response, 404)
    assert_no_leak(response)
    listing = await client.get("/v1/callbacks", headers=bob)
    assert listing.status_code == 200
    assert listing.json()["items"] == []


async def test_bobs_pull_has_public_changes_but_none_of_alices(
    client: httpx.AsyncClient, alice: dict[str, str], bob: dict[str, str], alice_data: AliceData
) -> None:
    alices = (await client.get("/v1/sync/pull", headers=alice)).json()["changes"]
    assert {"case", "callback", "subscriptions"} <= {c["entity"] for c in alices}

    response = await client.get("/v1/sync/pull", headers=bob)
    assert response.status_code == 200
    changes = response.json()["changes"]
    entities = {c["entity"] for c in changes}
    assert {"component", "article", "category", "queue"} <= entities
    assert not entities & {"case", "callback", "subscriptions"}
    ids = {c["id"] for c in changes}
    assert alice_data.case_id not in ids
    assert alice_data.callback_id not in ids
    assert_no_leak(response)


async def bob_tries(
    client: httpx.AsyncClient, bob: dict[str, str], name: str, **args: Any
) -> dict[str, Any]:
    response = await client.post(
        "/v1/sync/push",
        headers=bob,
        json={"client_id": "bob-phone", "mutations": [mutation(name, **args)]},
    )
    assert response.status_code == 200, response.text
    assert_no_leak(response)
    result: dict[str, Any] = response.json()["results"][0]
    return result


async def test_bob_cannot_change_alices_case_or_callback(
    client: httpx.AsyncClient, alice: dict[str, str], bob: dict[str, str], alice_data: AliceData
) -> None:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    attempts: list[tuple[str, dict[str, Any]]] = []
    for case_ref in (alice_data.case_id, "alice-case-1"):
        attempts += [
            ("case.reply", {"case": case_ref, "body": "Bob was here"}),
            ("case.close", {"case": case_ref}),
            (
                "callback.request",
                {"queue": "help", "mode": "asap", "phone": "+13125550100", "case": case_ref},
            ),
        ]
    for callback_ref in (alice_data.callback_id, "alice-cb-1"):
        attempts += [
            ("callback.cancel", {"callback": callback_ref}),
            ("callback.reschedule", {"callback": callback_ref, "slot_start": tomorrow.isoformat()}),
        ]
    for name, args in attempts:
        result = await bob_tries(client, bob, name, **args)
        assert result["status"] == "rejected", (name, result)
        assert result["error"]["code"] == "not_found", (name, result)

    case = (await client.get(f"/v1/cases/{alice_data.case_id}", headers=alice)).json()
    assert case["status"] == "new"
    assert case["messages"] == []
    callback = (await client.get(f"/v1/callbacks/{alice_data.callback_id}", headers=alice)).json()
    assert callback["status"] == "requested"
    assert callback["slot_start"] is None
    assert (await client.get("/v1/callbacks", headers=bob)).json()["items"] == []


async def test_bob_cannot_attach_alices_upload(
    client: httpx.AsyncClient, alice: dict[str, str], bob: dict[str, str], alice_data: AliceData
) -> None:
    for attachment_id in (alice_data.spare_attachment_id, alice_data.attachment_id):
        result = await bob_tries(
            client, bob, "case.open", subject="Mine", description="x", attachments=[attachment_id]
        )
        assert result["status"] == "rejected"
        assert result["error"]["code"] == "unknown_attachment"
    # The rejected mutation left nothing behind.
    assert (await client.get("/v1/cases", headers=bob)).json()["items"] == []

    opened = await bob_tries(client, bob, "case.open", subject="Mine", description="x")
    bobs_case = opened["entity"]["id"]
    result = await bob_tries(
        client,
        bob,
        "case.reply",
        case=bobs_case,
        body="see file",
        attachments=[alice_data.spare_attachment_id],
    )
    assert result["error"]["code"] == "unknown_attachment"
    assert_problem(
        await client.get(f"/v1/attachments/{alice_data.spare_attachment_id}", headers=bob), 404
    )
    # Alice can still use her upload.
    [mine] = await push(
        client,
        alice,
        mutation(
            "case.open",
            subject="Receipt",
            description="x",
            attachments=[alice_data.spare_attachment_id],
        ),
    )
    assert mine["status"] == "applied", mine
    assert [a["id"] for a in mine["entity"]["data"]["attachments"]] == [
        alice_data.spare_attachment_id
    ]


async def test_idempotency_keys_are_per_customer(
    client: httpx.AsyncClient, alice: dict[str, str], bob: dict[str, str]
) -> None:
    key = str(uuid.uuid4())
    [a] = await push(client, alice, mutation("case.open", key=key, subject=SECRET, description="a"))
    [b] = await push(client, bob, mutation("case.open", key=key, subject="Bob's", description="b"))
    assert a["status"] == "applied"
    assert b["status"] == "applied"
    assert b["entity"]["id"] != a["entity"]["id"]
    assert b["entity"]["data"]["subject"] == "Bob's"
    assert SECRET not in str(b)
    [again] = await push(
        client, alice, mutation("case.open", key=key, subject="?", description="?")
    )
    assert again["status"] == "duplicate"
    assert again["entity"]["id"] == a["entity"]["id"]
    bobs = (await client.get("/v1/cases", headers=bob)).json()["items"]
    assert [c["subject"] for c in bobs] == ["Bob's"]


ADMIN_ENDPOINTS: list[tuple[str, str, str, dict[str, Any] | None]] = [
    ("GET", "/v1/admin/cases", "cases", None),
    ("GET", "/v1/admin/callbacks", "callbacks", None),
    ("GET", "/v1/admin/tokens", "tokens", None),
    ("PUT", "/v1/admin/components/baggage/status", "status", {"status": "major_outage"}),
    (
        "PUT",
        "/v1/admin/kb/articles/en/new-one",
        "kb",
        {"title": "New", "body": "Body", "category": "baggage"},
    ),
]


@pytest.mark.parametrize(("method", "path", "scope", "body"), ADMIN_ENDPOINTS)
async def test_operator_endpoints_need_the_right_scope(
    client: httpx.AsyncClient,
    db: Database,
    alice: dict[str, str],
    company: Company,
    method: str,
    path: str,
    scope: str,
    body: dict[str, Any] | None,
) -> None:
    async def call(headers: dict[str, str]) -> httpx.Response:
        return await client.request(method, path, headers=headers, json=body)

    anonymous = await call({})
    assert_problem(anonymous, 401)
    assert "www-authenticate" in anonymous.headers
    assert_problem(await call(alice), 403)
    other = "kb" if scope != "kb" else "cases"
    assert_problem(await call(operator_headers(db, other)), 403)
    allowed = await call(operator_headers(db, scope))
    assert allowed.status_code in (200, 201), allowed.text


async def test_revoked_operator_token_is_401(
    client: httpx.AsyncClient, operator: dict[str, str]
) -> None:
    created = await client.post(
        "/v1/admin/tokens", headers=operator, json={"scopes": ["cases"], "label": "temp"}
    )
    assert created.status_code == 201, created.text
    temp = bearer(created.json()["token"])
    assert (await client.get("/v1/admin/cases", headers=temp)).status_code == 200
    listed = (await client.get("/v1/admin/tokens", headers=operator)).json()["items"]
    assert created.json()["token"] not in str(listed)
    [token_id] = [t["id"] for t in listed if t["label"] == "temp"]
    revoked = await client.delete(f"/v1/admin/tokens/{token_id}", headers=operator)
    assert revoked.status_code == 204
    response = await client.get("/v1/admin/cases", headers=temp)
    assert_problem(response, 401)
    assert "www-authenticate" in response.headers


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/me"),
        ("GET", "/v1/cases"),
        ("GET", "/v1/callbacks"),
        ("GET", "/v1/sync/pull"),
        ("POST", "/v1/sync/push"),
    ],
)
async def test_customer_endpoints_refuse_operator_tokens(
    client: httpx.AsyncClient, operator: dict[str, str], method: str, path: str
) -> None:
    body = {"client_id": "ops", "mutations": []} if method == "POST" else None
    assert_problem(await client.request(method, path, headers=operator, json=body), 403)


async def test_operator_upload_and_attachment_download_rules(
    client: httpx.AsyncClient,
    db: Database,
    operator: dict[str, str],
    bob: dict[str, str],
    alice_data: AliceData,
) -> None:
    files = {"file": ("x.png", PNG, "image/png")}
    assert_problem(await client.post("/v1/attachments", headers=operator, files=files), 403)
    path = f"/v1/admin/attachments/{alice_data.attachment_id}"
    assert (await client.get(path, headers=operator)).content == PNG
    assert_problem(await client.get(path, headers=operator_headers(db, "kb")), 403)
    response = await client.get(path, headers=bob)
    assert_problem(response, 403)
    assert_no_leak(response)
