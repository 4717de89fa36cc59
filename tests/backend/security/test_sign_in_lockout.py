"""Nobody can lock a customer out of sign-in, and slow guessing stops (issue 13, Medium).

Guards against another caller's wrong codes or starts locking the victim's email out of
sign-in or cancelling the victim's pending code, and against guessing slowly for ever.
Each test runs a real hub process and sends the requests an attacker would, from other
addresses (X-Forwarded-For, which the hub trusts from loopback), then measures what the
victim gets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.backend.deps import address_key
from tests.backend.security.sign_in_support import (
    DAY,
    VICTIM,
    Caller,
    capped_hub,
    code_of,
    retry_after,
)
from tests.hub_process import RealHub

pytestmark = pytest.mark.server


@pytest.fixture
def capped(tmp_path: Path) -> Iterator[RealHub]:
    """Daily caps of 8 wrong codes per address and 12 per email."""
    hub = capped_hub(tmp_path / "hub")
    yield hub
    hub.stop()


def test_an_attackers_wrong_codes_do_not_lock_out_the_victim(hub: RealHub) -> None:
    """The issue's attack: two starts and ten wrong codes (and two more) for the victim's
    email must not refuse the victim's pending code, nor a fresh one."""
    victim, attacker = Caller(hub, "192.0.2.10"), Caller(hub, "198.51.100.7")
    pending = victim.start(VICTIM)
    statuses = []
    for _ in range(2):
        attempt = attacker.start(VICTIM)
        statuses += [attacker.guess(VICTIM, attempt) for _ in range(6)]
    # Five wrong codes per attempt, then that attempt (only) is dead.
    assert statuses == ([401] * 5 + [429]) * 2
    fresh = victim.start(VICTIM)
    signed_in = victim.sign_in(VICTIM, fresh)
    assert signed_in.status_code == 200, signed_in.text
    earlier = victim.sign_in(VICTIM, pending)
    assert earlier.status_code == 200, earlier.text


def test_an_attackers_starts_do_not_cancel_or_block_the_victims_sign_in(hub: RealHub) -> None:
    """Another address asking for codes for the victim's email, up to its own limit,
    must neither cancel the victim's pending code nor stop the victim asking for one."""
    victim, attacker = Caller(hub, "192.0.2.10"), Caller(hub, "198.51.100.7")
    pending = victim.start(VICTIM)
    code = code_of(hub, pending)
    for _ in range(5):
        attacker.start(VICTIM)
    refused = attacker.ask(VICTIM)
    assert refused.status_code == 429  # the attacker's own limit for this email
    # The victim can still ask for a code, and the one asked for before still works.
    victim.start(VICTIM)
    signed_in = victim.verify(VICTIM, pending, code)
    assert signed_in.status_code == 200, signed_in.text
    # The operator CLI lists the attacker's pending codes, newest first.
    assert hub.newest_code(VICTIM) != code


def test_a_daily_cap_stops_slow_guessing(capped: RealHub) -> None:
    """However slowly they come, wrong codes stop at a daily cap per address, and per
    email for each address that made a few of them; held in the database across a
    restart. The victim, who made no wrong guess, still signs in."""
    hub = capped
    first, second, third = (Caller(hub, f"198.51.100.{n}") for n in (1, 2, 3))
    # The first address: eight wrong codes over two attempts reach its cap (8).
    statuses = []
    for guesses in (5, 3):
        attempt = first.start(VICTIM)
        statuses += [first.guess(VICTIM, attempt) for _ in range(guesses)]
    assert statuses == [401] * 8
    refused = first.sign_in(VICTIM, attempt)  # even the right code
    assert refused.status_code == 429
    assert DAY - 120 < retry_after(refused) <= DAY
    other_email = first.start("someone.else@example.com")
    assert first.guess("someone.else@example.com", other_email) == 429
    # A second address brings the email to its cap (12), then is refused for it.
    attempt = second.start(VICTIM)
    assert [second.guess(VICTIM, attempt) for _ in range(5)] == [401] * 4 + [429]
    # A fresh address gets three wrong codes for the capped email, then no more.
    attempt = third.start(VICTIM)
    assert [third.guess(VICTIM, attempt) for _ in range(4)] == [401] * 3 + [429]

    hub.stop()
    hub.start(demo=False)
    attempt = first.start(VICTIM)
    assert first.sign_in(VICTIM, attempt).status_code == 429
    attempt = second.start(VICTIM)
    assert second.sign_in(VICTIM, attempt).status_code == 429
    victim = Caller(hub, "192.0.2.10")
    attempt = victim.start(VICTIM)
    signed_in = victim.sign_in(VICTIM, attempt)
    assert signed_in.status_code == 200, signed_in.text


def test_ipv6_addresses_in_one_slash_64_share_their_caps(capped: RealHub) -> None:
    """One home or server holds a whole /64: its addresses must count as one, or one
    caller could pose as billions."""
    hub = capped
    one, same_network = Caller(hub, "2001:db8:1:2::1"), Caller(hub, "2001:db8:1:2:ffff::9")
    statuses = []
    for caller, email in ((one, "a@example.com"), (same_network, "b@example.com")):
        attempt = caller.start(email)
        statuses += [caller.guess(email, attempt) for _ in range(4)]
    assert statuses == [401] * 8
    attempt = same_network.start("c@example.com")
    assert same_network.guess("c@example.com", attempt) == 429
    attempt = one.start("c@example.com")
    assert one.guess("c@example.com", attempt) == 429
    neighbour = Caller(hub, "2001:db8:1:3::1")  # the next /64
    attempt = neighbour.start("c@example.com")
    assert neighbour.guess("c@example.com", attempt) == 401


@pytest.mark.parametrize(
    ("host", "prefix", "key"),
    [
        ("203.0.113.5", 64, "203.0.113.5"),
        ("2001:db8:1:2::1", 64, "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", 64, "2001:db8:1:2::/64"),
        ("2001:DB8:1:2::abcd", 64, "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", 64, "2001:db8:1:3::/64"),
        ("::ffff:203.0.113.5", 64, "203.0.113.5"),  # IPv4 written as IPv6
        ("fe80::1%eth0", 64, "fe80::/64"),
        ("unknown", 64, "unknown"),
        ("2001:db8:1:2::1", 48, "2001:db8:1::/48"),
        ("2001:db8:1:ffff:1::1", 48, "2001:db8:1::/48"),
        ("203.0.113.5", 48, "203.0.113.5"),
    ],
)
def test_rate_limit_keys_are_ipv4_addresses_and_ipv6_networks(
    host: str, prefix: int, key: str
) -> None:
    """Limits must count an IPv4 address, an IPv6 /64 and, more widely, an IPv6 /48."""
    assert address_key(host, prefix) == key
