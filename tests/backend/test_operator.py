"""Operator tokens over HTTP: create with scopes, list without secrets, revoke."""

from __future__ import annotations

import httpx

from app.backend.db import Database
from tests.support import bearer, operator_headers


async def test_operator_token_lifecycle(client: httpx.AsyncClient, db: Database) -> None:
    # A token grants only scopes it holds (test_token_scopes.py).
    admin = operator_headers(db, "tokens", "status")
    created = await client.post(
        "/v1/admin/tokens", headers=admin, json={"scopes": ["status"], "label": "status desk"}
    )
    assert created.status_code == 201
    token = created.json()["token"]
    desk = bearer(token)
    allowed = await client.put(
        "/v1/admin/components/none/status", headers=desk, json={"status": "major_outage"}
    )
    assert allowed.status_code == 404, "authorized, and the component does not exist"
    refused = await client.get("/v1/admin/cases", headers=desk)
    assert refused.status_code == 403

    listed = (await client.get("/v1/admin/tokens", headers=admin)).json()["items"]
    assert token not in str(listed)
    [row] = [t for t in listed if t["label"] == "status desk"]
    assert row["scopes"] == ["status"]
    assert (await client.delete(f"/v1/admin/tokens/{row['id']}", headers=admin)).status_code == 204
    after = await client.get("/v1/admin/cases", headers=desk)
    assert after.status_code == 401
    missing = await client.delete("/v1/admin/tokens/tok_nope", headers=admin)
    assert missing.status_code == 404
    bad = await client.post("/v1/admin/tokens", headers=admin, json={"scopes": ["root"]})
    assert bad.status_code == 422
    assert "unknown scope" in bad.json()["detail"]


async def test_health(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.json() == {"status": "ok"}
    assert response.headers["x-content-type-options"] == "nosniff"
