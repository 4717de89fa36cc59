"""Values the fuzzer (tests/backend/test_fuzz.py) found the hub mishandling, pinned down:
years before 1000, times with no UTC equivalent, maintenance windows that end before
they start, a NUL in a JSON key, and 405 answers that name every method of the path."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.backend.support import lenient
from tests.support import Company, assert_problem, mutation, push, push_body

PHONE = "+13125550123"


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
