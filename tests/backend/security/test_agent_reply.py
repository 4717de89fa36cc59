"""An agent's reply that the hub refuses says why: only a case at its message cap is
"Case full"; a missing case is 404 and any other refusal carries its own code."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.backend.crud import cases
from app.backend.crud.rejections import MutationRejected
from tests.backend.support import open_case


async def test_an_unknown_case_is_not_found(
    client: httpx.AsyncClient, operator: dict[str, str]
) -> None:
    answer = await client.post(
        "/v1/admin/cases/case_nope/replies", headers=operator, json={"body": "Hello"}
    )
    assert answer.status_code == 404, answer.text
    assert answer.json()["type"].endswith("/not-found")


async def test_a_closed_case_takes_an_agent_reply(
    client: httpx.AsyncClient, alice: dict[str, str], operator: dict[str, str]
) -> None:
    case = await open_case(client, alice)
    closed = await client.put(
        f"/v1/admin/cases/{case['id']}/status", headers=operator, json={"status": "closed"}
    )
    assert closed.status_code == 200, closed.text
    answer = await client.post(
        f"/v1/admin/cases/{case['id']}/replies", headers=operator, json={"body": "One more"}
    )
    assert answer.status_code == 200, answer.text


async def test_another_refusal_is_not_called_case_full(
    client: httpx.AsyncClient,
    alice: dict[str, str],
    operator: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = await open_case(client, alice)

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise MutationRejected("case_closed", f"Case {case['number']} is closed.")

    monkeypatch.setattr(cases, "agent_reply", refuse)
    answer = await client.post(
        f"/v1/admin/cases/{case['id']}/replies", headers=operator, json={"body": "Hello"}
    )
    assert answer.status_code == 409, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["type"].endswith("/case-closed"), problem
    assert problem["title"] != "Case full"
    assert problem["detail"] == f"Case {case['number']} is closed."
