"""Bidirectional controls (U+202E and its kin) in what a customer types never reach the
operator's terminal: a subject that would read backwards there arrives without them."""

from __future__ import annotations

import httpx

from app.schemas.common import as_multi_line, as_one_line
from tests.hub_process import RealHub
from tests.support import bearer, mutation

OVERRIDE = "\u202e"
ISOLATES = "\u2066\u2067\u2068\u2069"


def test_the_hub_drops_bidi_controls_before_an_operator_reads_them(hub: RealHub) -> None:
    [(token, _)] = hub.sessions(["mallory@example.com"])
    subject = f"Refund for booking {OVERRIDE}exe.fdp"
    answer = httpx.post(
        f"{hub.url}/v1/sync/push",
        headers=bearer(token),
        json={
            "client_id": "bidi-test",
            "mutations": [
                mutation(
                    "case.open",
                    subject=subject,
                    description=f"Please call{ISOLATES} me\nשלום\u200f back",
                )
            ],
        },
    )
    [result] = answer.json()["results"]
    assert result["status"] == "applied", result
    case = result["entity"]["data"]
    assert case["subject"] == "Refund for booking exe.fdp"
    # Right-to-left text and its marks (U+200F) stay; only the reordering controls go.
    assert case["description"] == "Please call me\nשלום\u200f back"
    listing = hub.cli("case", "list")
    assert "Refund for booking exe.fdp" in listing
    assert OVERRIDE not in listing and not set(ISOLATES) & set(listing)


def test_the_app_drops_them_while_cleaning_what_was_typed() -> None:
    assert as_one_line(f"a{OVERRIDE}b\u202ac\tz") == "abc z"
    assert as_multi_line(f"line{ISOLATES}\fnext\u200e") == "line\nnext\u200e"
