"""The hub as customers meet it: a real server process over HTTP, driven together with the
operator CLI in another process."""

from __future__ import annotations

import httpx
import pytest

from tests.hub_process import RealHub
from tests.support import bearer, mutation, push_body

pytestmark = pytest.mark.server


def test_customer_and_agent_over_real_http(real_hub: RealHub) -> None:
    with httpx.Client(base_url=real_hub.url, timeout=10) as http:
        status = http.get("/v1/status")
        assert status.status_code == 200
        assert status.json()["active_incidents"][0]["impact"] == "critical"
        assert (
            http.get("/v1/status", headers={"If-None-Match": status.headers["etag"]}).status_code
            == 304
        )

        started = http.post("/v1/auth/start", json={"email": "Dana@Example.com"})
        assert started.status_code == 202
        code = real_hub.newest_code("dana@example.com")
        attempt = started.json()["attempt"]
        body = {"email": "dana@example.com", "attempt": attempt, "code": code}
        session = http.post("/v1/auth/verify", json=body)
        headers = bearer(session.json()["token"])

        opened = http.post(
            "/v1/sync/push",
            headers=headers,
            json=push_body(
                mutation(
                    "case.open",
                    subject="Stuck at ORD",
                    description="Flight NW 412 was cancelled.",
                    category="delays-cancellations",
                ),
                client_id="phone-1",
            ),
        ).json()["results"][0]
        assert opened["status"] == "applied"
        case_id = opened["entity"]["id"]

        first = http.get("/v1/sync/pull", headers=headers).json()
        assert any(c["entity"] == "case" and c["id"] == case_id for c in first["changes"])
        real_hub.cli("case", "reply", case_id, "--body", "We rebooked you on NW 418.")
        later = http.get(
            "/v1/sync/pull", params={"cursor": first["cursor"]}, headers=headers
        ).json()
        [change] = later["changes"]
        assert change["data"]["messages"][-1]["body"] == "We rebooked you on NW 418."
        assert change["data"]["status"] == "pending"
