"""Operator tokens against a real hub: a token with the `tokens` scope grants only what it
holds itself (so it cannot mint a token with every scope and read cases through it), and
operator tokens expire unless someone asks explicitly for one that never does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from app.backend.crud import auth
from tests.hub_process import RealHub
from tests.support import bearer

EVERY_SCOPE = ["callbacks", "cases", "kb", "status", "tokens"]


def cli_token(hub: RealHub, *args: str) -> str:
    return hub.cli("token", "create", *args).strip()


def listed(hub: RealHub, admin: str) -> dict[str, dict[str, object]]:
    """The hub's tokens by label, as GET /v1/admin/tokens lists them."""
    answer = httpx.get(f"{hub.url}/v1/admin/tokens", headers=bearer(admin))
    assert answer.status_code == 200, answer.text
    return {t["label"]: t for t in answer.json()["items"] if t["label"]}


def days_from_now(stamp: object) -> float:
    assert isinstance(stamp, str)
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return (moment - datetime.now(UTC)) / timedelta(days=1)


def test_a_tokens_token_cannot_mint_every_scope(real_hub: RealHub) -> None:
    hub = real_hub
    minter = cli_token(hub, "--scope", "tokens", "--label", "minter")
    # The exact escalation: ask for every scope.
    escalate = httpx.post(
        f"{hub.url}/v1/admin/tokens",
        headers=bearer(minter),
        json={"scopes": EVERY_SCOPE, "label": "escalated"},
    )
    assert escalate.status_code == 403, escalate.text
    assert escalate.headers["content-type"].startswith("application/problem+json")
    problem = escalate.json()
    for scope in ("callbacks", "cases", "kb", "status"):
        assert repr(scope) in problem["detail"]
    assert [e["loc"][-1] for e in problem["errors"]] == ["callbacks", "cases", "kb", "status"]
    assert "'tokens'" not in problem["detail"]
    # Nothing was made, and what it may make (its own scope) still cannot read cases.
    assert "escalated" not in listed(hub, minter)
    made = httpx.post(
        f"{hub.url}/v1/admin/tokens",
        headers=bearer(minter),
        json={"scopes": ["tokens"], "label": "subset"},
    )
    assert made.status_code == 201, made.text
    cases = httpx.get(f"{hub.url}/v1/admin/cases", headers=bearer(made.json()["token"]))
    assert cases.status_code == 403, cases.text
    # A wider token may still grant part of what it holds.
    admin = cli_token(hub, "--scope", *EVERY_SCOPE)
    part = httpx.post(
        f"{hub.url}/v1/admin/tokens", headers=bearer(admin), json={"scopes": ["cases"]}
    )
    assert part.status_code == 201, part.text
    reads = httpx.get(f"{hub.url}/v1/admin/cases", headers=bearer(part.json()["token"]))
    assert reads.status_code == 200, reads.text


def test_a_token_cannot_revoke_one_with_more_scopes(hub: RealHub) -> None:
    admin = cli_token(hub, "--scope", *EVERY_SCOPE, "--label", "admin")
    minter = cli_token(hub, "--scope", "tokens", "kb", "--label", "minter")
    ids = {label: t["id"] for label, t in listed(hub, admin).items()}
    refused = httpx.delete(f"{hub.url}/v1/admin/tokens/{ids['admin']}", headers=bearer(minter))
    assert refused.status_code == 403, refused.text
    assert httpx.get(f"{hub.url}/v1/admin/cases", headers=bearer(admin)).status_code == 200
    # Its own kind (a subset of its scopes) it may revoke.
    kb_only = httpx.post(
        f"{hub.url}/v1/admin/tokens", headers=bearer(minter), json={"scopes": ["kb"], "label": "k"}
    )
    kb_id = listed(hub, admin)["k"]["id"]
    gone = httpx.delete(f"{hub.url}/v1/admin/tokens/{kb_id}", headers=bearer(minter))
    assert gone.status_code == 204, gone.text
    after = httpx.get(f"{hub.url}/v1/admin/tokens", headers=bearer(kb_only.json()["token"]))
    assert after.status_code == 401


def test_operator_tokens_expire_by_default(hub: RealHub) -> None:
    admin = cli_token(hub, "--scope", *EVERY_SCOPE, "--label", "admin")
    cli_token(hub, "--scope", "kb", "--label", "short", "--ttl-days", "7")
    cli_token(hub, "--scope", "kb", "--label", "forever", "--never-expires")
    made = httpx.post(
        f"{hub.url}/v1/admin/tokens",
        headers=bearer(admin),
        json={"scopes": ["kb"], "label": "by-route"},
    )
    assert made.status_code == 201, made.text
    assert 89.9 < days_from_now(made.json()["expires_at"]) <= 90
    tokens = listed(hub, admin)
    assert 89.9 < days_from_now(tokens["admin"]["expires_at"]) <= 90
    assert 6.9 < days_from_now(tokens["short"]["expires_at"]) <= 7
    assert tokens["forever"]["expires_at"] is None
    assert "never expires" in hub.cli("token", "list")


def test_a_token_never_outlives_the_token_that_made_it(hub: RealHub) -> None:
    weekly = cli_token(hub, "--scope", "tokens", "kb", "--ttl-days", "7")
    for body in ({"never_expires": True}, {"ttl_days": 365}):
        made = httpx.post(
            f"{hub.url}/v1/admin/tokens", headers=bearer(weekly), json={"scopes": ["kb"], **body}
        )
        assert made.status_code == 201, made.text
        assert 6.9 < days_from_now(made.json()["expires_at"]) <= 7
    both = httpx.post(
        f"{hub.url}/v1/admin/tokens",
        headers=bearer(weekly),
        json={"scopes": ["kb"], "never_expires": True, "ttl_days": 3},
    )
    assert both.status_code == 422, both.text


def test_the_unused_customers_scope_is_gone(hub: RealHub) -> None:
    assert "customers" not in auth.OPERATOR_SCOPES
    admin = cli_token(hub, "--scope", *EVERY_SCOPE)
    asked = httpx.post(
        f"{hub.url}/v1/admin/tokens", headers=bearer(admin), json={"scopes": ["customers"]}
    )
    assert asked.status_code == 422, asked.text
