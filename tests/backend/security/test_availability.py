"""`/v1/callbacks/availability`, public and uncached by a new `from`: a long range is cut
to 31 days (and pages on), each local day's slots are worked out once, and an address
gets 429 with Retry-After past its limit."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import httpx
import pytest
from sqlalchemy import update

from app.backend import slots
from app.backend.db import Database
from app.backend.db.tables import queues
from app.backend.settings import HubSettings, RateLimit, sqlite_url
from tests.hub_process import RealHub
from tests.support import Company, operator_headers

URL = "/v1/callbacks/availability"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def default_limit() -> RateLimit:
    field = next(f for f in dataclasses.fields(HubSettings) if f.name == "availability_per_client")
    factory = field.default_factory
    assert callable(factory)
    return cast(RateLimit, factory())


def set_horizon(hub: RealHub, queue_id: str, days: int) -> None:
    db = Database(sqlite_url(hub.data_dir))
    try:
        with db.write() as conn:
            conn.execute(update(queues).where(queues.c.id == queue_id).values(horizon_days=days))
    finally:
        db.dispose()


@pytest.mark.server
def test_a_hundred_year_range_is_cut_to_31_days_and_pages_on(hub: RealHub) -> None:
    """A ten-year horizon must not be walked day by day in one request (seconds of CPU
    that anyone can repeat): only the 31 days from `from` are looked at, and the answer
    pages on from there rather than jumping to the first staffed day beyond."""
    set_horizon(hub, "rebooking", 3650)
    chicago = datetime.now(UTC).astimezone(slots.zone("America/Chicago")).date()
    staffed = chicago + timedelta(days=55)  # the demo staffs the next 15 days only
    hub.cli("queue", "staffing", "rebooking", "--date", staffed.isoformat(),
            "--from", "08:00", "--to", "10:00", "--agents", "2")  # fmt: skip
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=20)
    params = {"queue": "rebooking", "from": iso(start), "to": "2126-01-01T00:00:00Z"}
    first = httpx.get(f"{hub.url}{URL}", params={**params, "limit": 500}, timeout=120)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["slots"] == [], "nothing is staffed in the 31 days from `from`"
    cut = datetime.fromisoformat(body["next_cursor"])
    assert cut == start + timedelta(days=31), "it pages on from the cut"
    following = httpx.get(f"{hub.url}{URL}", params={**params, "from": body["next_cursor"]})
    starts = [datetime.fromisoformat(s["start"]) for s in following.json()["slots"]]
    days = {s.astimezone(slots.zone("America/Chicago")).date() for s in starts}
    assert len(starts) == 4 and days == {staffed}


@pytest.mark.server
def test_an_address_past_its_limit_gets_429_with_retry_after(hub: RealHub) -> None:
    """Availability is public and uncached by a new `from`: one address must not be able
    to ask for it without limit."""
    limit = default_limit()
    params: dict[str, str | int] = {"queue": "general", "limit": 5}
    with httpx.Client(base_url=hub.url) as client:
        # The hub trusts X-Forwarded-For from loopback (an app server or proxy there).
        one = {"X-Forwarded-For": "203.0.113.30"}
        for n in range(limit.count):
            response = client.get(URL, params=params, headers=one)
            assert response.status_code == 200, (n, response.text)
        refused = client.get(URL, params=params, headers=one)
        assert refused.status_code == 429
        assert refused.headers["content-type"] == "application/problem+json"
        assert 1 <= int(refused.headers["retry-after"]) <= limit.seconds
        other = client.get(URL, params=params, headers={"X-Forwarded-For": "203.0.113.31"})
        assert other.status_code == 200, "another address is counted apart"
        # An app server on the hub's machine asks for all its visitors: not limited.
        assert client.get(URL, params=params).status_code == 200


async def test_a_new_from_on_the_same_day_reuses_that_days_slots(
    client: httpx.AsyncClient, company: Company, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new `from` is a new URL, so no HTTP cache helps: the day's slots must not be
    worked out again for each request; and a change of staffing must be seen at once."""
    worked_out = 0
    original = slots.agents_throughout

    def counting(*args: Any) -> int:
        nonlocal worked_out
        worked_out += 1
        return original(*args)

    monkeypatch.setattr(slots, "agents_throughout", counting)
    slots._day_windows.cache_clear()  # the same days may be kept from another test's run
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=2)

    async def free(moment: datetime) -> list[dict[str, Any]]:
        params = {
            "queue": company.queue_id,
            "from": iso(moment),
            "to": iso(start + timedelta(days=1)),
        }
        response = await client.get(URL, params={**params, "limit": 500})
        assert response.status_code == 200, response.text
        return cast(list[dict[str, Any]], response.json()["slots"])

    first = await free(start)
    before = worked_out
    assert before > 0
    for minutes in (1, 7, 31):
        later = await free(start + timedelta(minutes=minutes))
        assert later == [s for s in first if s["start"] >= iso(start + timedelta(minutes=minutes))]
    assert worked_out == before, "the day's slots came from the cache"
    # New staffing is a new key: that day is worked out again, and shows at once.
    put = await client.put(
        f"/v1/admin/queues/{company.queue_id}/staffing",
        json={"starts_at": first[0]["start"], "ends_at": first[2]["start"], "agents": 0},
        headers=operator_headers(db, "callbacks"),
    )
    assert put.status_code == 204, put.text
    after = await free(start)
    assert worked_out > before
    assert [s["start"] for s in after] == [s["start"] for s in first[2:]]
