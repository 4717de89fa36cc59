"""The storm-day load profiles in a short form (bench/load.py runs them in full): a real
hub process under concurrent status reads, idle syncs and racing writes answers every
request, books no slot twice and loses no acknowledged write. Figures are the bench's
business; this only checks correctness under load."""

from __future__ import annotations

import pytest

from bench.load_profiles import run_profile
from tests.hub_process import RealHub

pytestmark = [pytest.mark.server, pytest.mark.slow]


@pytest.mark.parametrize("profile", ["status", "pull", "writes"])
async def test_a_short_storm(real_hub: RealHub, profile: str) -> None:
    result = await run_profile(profile, [real_hub], seconds=2, workers=16)
    assert result.errors == 0, (result.outcomes, result.note)
    assert len(result.latencies) > 20
    if profile == "status":
        assert {"200", "304"} <= set(result.outcomes), "fresh and revalidated reads"
    if profile == "writes":
        assert "double bookings: 0; lost writes: 0" in result.note
