"""The sign-in caps refuse the guessers and the flooders, not the customer.

Each test runs a real hub process and sends the requests an attacker would, from chosen
addresses (X-Forwarded-For, which the hub trusts from loopback), then measures what the
customer gets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app.schemas.customers import SIGN_IN_CAPPED, SIGN_IN_FAILED
from tests.backend.security.sign_in_support import (
    DAY,
    VICTIM,
    Caller,
    capped_hub,
    problem_type,
    retry_after,
)
from tests.hub_process import RealHub

pytestmark = pytest.mark.server

# Matches no attempt: each verify is a cheap 401 that still counts as a sign-in request.
NO_ATTEMPT = "n" * 32


@pytest.fixture
def capped(tmp_path: Path) -> Iterator[RealHub]:
    """Daily caps of 8 wrong codes per address and 12 per email."""
    hub = capped_hub(tmp_path / "hub")
    yield hub
    hub.stop()


def test_a_customers_typo_does_not_lock_them_out_of_a_capped_email(capped: RealHub) -> None:
    """Guards against the per-email cap refusing the customer: they mistype once, then
    attackers take the email over its cap; the customer's right code still signs in."""
    hub = capped
    victim = Caller(hub, "192.0.2.10")
    attempt = victim.start(VICTIM)
    assert victim.guess(VICTIM, attempt) == 401
    first, second = Caller(hub, "198.51.100.1"), Caller(hub, "198.51.100.2")
    # With the customer's typo, 12 wrong codes for the email: its cap.
    assert first.guesses(VICTIM, 8) + second.guesses(VICTIM, 3) == [401] * 11
    refused = second.verify(VICTIM, second.start(VICTIM), "00000000")
    assert (refused.status_code, problem_type(refused)) == (429, SIGN_IN_CAPPED)
    signed_in = victim.sign_in(VICTIM, attempt)
    assert signed_in.status_code == 200, signed_in.text


def test_daily_caps_answer_their_own_problem_type(capped: RealHub) -> None:
    """Guards against the app taking a daily cap for a dead attempt: a new code helps
    after the attempt's own wrong codes (`sign-in-failed`), not after a daily cap
    (`sign-in-capped`, which says when to try again)."""
    caller = Caller(capped, "198.51.100.5")
    attempt = caller.start("a@example.com")
    assert [caller.guess("a@example.com", attempt) for _ in range(5)] == [401] * 5
    dead = caller.sign_in("a@example.com", attempt)
    assert (dead.status_code, problem_type(dead), retry_after(dead)) == (429, SIGN_IN_FAILED, 60)
    assert caller.guesses("b@example.com", 3) == [401] * 3  # 8 today: the address's cap
    paused = caller.sign_in("b@example.com", caller.start("b@example.com"))
    assert (paused.status_code, problem_type(paused)) == (429, SIGN_IN_CAPPED)
    assert DAY - 120 < retry_after(paused) <= DAY
    assert "24 hours" in paused.json()["detail"]
    assert "contact support" in paused.json()["detail"]


def test_codes_sent_to_one_email_are_capped_across_addresses(hub: RealHub) -> None:
    """Guards against flooding an inbox from many addresses (each IPv6 /64 is one): 20
    codes an hour per email in all, then 429 with Retry-After, so the customer knows."""
    callers = [Caller(hub, f"2001:db8:{n}::1") for n in range(1, 6)]
    statuses = [c.ask(VICTIM).status_code for c in callers[:4] for _ in range(5)]
    assert statuses == [202] * 20
    refused = callers[4].ask(VICTIM)
    assert refused.status_code == 429
    assert 3500 < retry_after(refused) <= 3600
    assert "this email" in refused.json()["detail"]
    assert callers[4].ask("someone.else@example.com").status_code == 202


def test_an_ipv6_slash_48_shares_a_wider_sign_in_limit(hub: RealHub) -> None:
    """Guards against a site spreading sign-in requests over its /48's 65,536 /64s: the
    /48 gets four times the 30 requests per 15 minutes of one /64."""
    site = [Caller(hub, f"2001:db8:7:{n}::1") for n in range(5)]
    statuses = [
        c.verify(VICTIM, NO_ATTEMPT, "00000000").status_code for c in site for _ in range(24)
    ]
    assert statuses == [401] * 120
    assert Caller(hub, "2001:db8:7:99::1").verify(VICTIM, NO_ATTEMPT, "00000000").status_code == 429
    other_site = Caller(hub, "2001:db8:8::1")
    assert other_site.verify(VICTIM, NO_ATTEMPT, "00000000").status_code == 401


def test_an_app_server_naming_no_visitor_is_not_capped_per_address(tmp_path: Path) -> None:
    """Guards against one visitor of a hosted app locking out all the others: requests
    from loopback without X-Forwarded-For (an app server that did not name its visitor)
    share an address, so its per-address daily cap does not apply. They still count per
    email: over the email's cap, loopback is refused for that email only. (Loopback's 30
    sign-in requests per 15 minutes also apply, so the caps here are small.)"""
    hub = capped_hub(tmp_path / "hub", per_address=8, per_email=6)
    try:
        loopback_caps(hub)
    finally:
        hub.stop()


def loopback_caps(hub: RealHub) -> None:
    app_server = Caller(hub, None)
    assert (
        app_server.guesses("a@example.com", 5) + app_server.guesses("b@example.com", 5)
        == [401] * 10
    )
    signed_in = app_server.sign_in("c@example.com", app_server.start("c@example.com"))
    assert signed_in.status_code == 200, signed_in.text
    assert app_server.guesses(VICTIM, 6) == [401] * 6
    refused = app_server.sign_in(VICTIM, app_server.start(VICTIM))
    assert (refused.status_code, problem_type(refused)) == (429, SIGN_IN_CAPPED)
    victim = Caller(hub, "192.0.2.10")
    assert victim.sign_in(VICTIM, victim.start(VICTIM)).status_code == 200


async def test_the_web_app_sees_each_browsers_address_behind_a_local_proxy() -> None:
    """The hosted app passes `page.client_ip` (its WebSocket's client) as X-Forwarded-For.
    Behind nginx on the same machine, uvicorn's proxy headers (on by default, trusting
    127.0.0.1) must make that the browser's address, also for a WebSocket."""
    seen: list[str] = []

    async def app(scope: dict[str, object], receive: object, send: object) -> None:
        client = scope["client"]
        assert isinstance(client, tuple)
        seen.append(client[0])

    middleware = ProxyHeadersMiddleware(app, trusted_hosts="127.0.0.1")  # type: ignore[arg-type]
    scope = {
        "type": "websocket",
        "client": ("127.0.0.1", 50000),
        "headers": [(b"x-forwarded-for", b"203.0.113.9")],
    }
    await middleware(scope, None, None)  # type: ignore[arg-type]
    assert seen == ["203.0.113.9"]
