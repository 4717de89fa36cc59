"""A live event may carry only the messages a case change added. When the device cannot
be sure it holds the rest of the thread, the live stream asks the scheduler for a pull at
once; otherwise it does not."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import cast

from app.api import HubClient
from app.schemas import Change, Customer, Event
from app.store import open_local
from app.sync.live import LiveEvents
from app.sync.scheduler import SyncScheduler
from tests.case_factory import case_data

STAMP = "2026-11-22T12:00:00Z"
CUSTOMER = Customer(id="cus_1", email="a@example.com", created_at=datetime(2026, 1, 1, tzinfo=UTC))


class StreamOf:
    """A hub client whose event stream holds these events, then ends."""

    def __init__(self, events: list[Event]) -> None:
        self.items = events

    async def events(self, *, after: int | None, public: bool = False) -> AsyncIterator[Event]:
        for item in self.items:
            yield item


class Pokes:
    def __init__(self) -> None:
        self.delays: list[float | None] = []

    def poke(self, delay: float | None = None) -> None:
        self.delays.append(delay)


def case_event(seq: int, version: int, message_ids: list[int]) -> Event:
    return Event(
        id=seq,
        kind="case",
        entity_id="case_1",
        version=version,
        customer_id=CUSTOMER.id,
        data=case_data(message_ids, complete=False),
        created_at=STAMP,
    )


async def listen(events: list[Event], *, held_version: int | None) -> tuple[Pokes, list[str]]:
    store = open_local(memory=True)
    store.personal.account.sign_in("clc_token", CUSTOMER)
    if held_version is not None:
        data = case_data(list(range(1, held_version + 1)), complete=True)
        change = Change(entity="case", op="upsert", id="case_1", version=held_version, data=data)
        store.personal.applier.apply_changes([change], "1")
    pokes = Pokes()
    live = LiveEvents(
        cast(HubClient, StreamOf(events)),
        personal=store.personal,
        public=store.public,
        scheduler=cast(SyncScheduler, pokes),
    )
    await live.listen_once()
    view = store.personal.cases.get("case_1")
    assert view is not None
    return pokes, [m.id for m in view.messages]


async def test_the_next_version_merges_without_a_pull() -> None:
    pokes, thread = await listen([case_event(10, 3, [3])], held_version=2)
    assert pokes.delays == []
    assert thread == ["m1", "m2", "m3"]


async def test_a_missed_version_asks_for_a_pull_at_once() -> None:
    pokes, thread = await listen([case_event(10, 4, [4])], held_version=2)
    assert pokes.delays == [0]
    assert thread == ["m1", "m2", "m4"]


async def test_a_case_this_device_never_held_asks_for_a_pull() -> None:
    pokes, thread = await listen([case_event(10, 5, [5])], held_version=None)
    assert pokes.delays == [0]
    assert thread == ["m5"]
