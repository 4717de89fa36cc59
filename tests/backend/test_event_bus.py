"""The fan-out in one process: each stream gets the events that concern it, in order; a
stream that stops reading is cut off instead of holding the others back."""

from __future__ import annotations

from app.backend.crud.events import concerns, publish_event
from app.backend.db import Database
from app.backend.event_bus import QUEUE_SIZE, EventBus, Stream
from app.schemas import Event, Subscriptions


def publish(db: Database, count: int, *, customer_id: str | None = None) -> None:
    with db.write() as conn:
        for n in range(count):
            publish_event(
                conn,
                kind="incident" if customer_id is None else "case",
                entity_id=f"e{n}",
                version=1,
                data={"impact": "critical", "components": []},
                customer_id=customer_id,
            )


def drain(stream: Stream) -> list[int]:
    got = []
    while not stream.queue.empty():
        event = stream.queue.get_nowait()
        assert event is not None
        got.append(event.id)
    return got


async def test_a_stream_that_stops_reading_is_cut_off_and_holds_nobody_back(db: Database) -> None:
    bus = EventBus(db, poll_seconds=3600)  # the test hands events out itself
    await bus.start()
    try:
        reader = bus.open("c1", Subscriptions())
        stuck = bus.open("c2", Subscriptions())
        publish(db, 200)
        assert await bus.deliver_new() == 200
        first = drain(reader)
        publish(db, 200)
        assert await bus.deliver_new() == 200
        second = drain(reader)
        assert first + second == list(range(first[0], first[0] + 400)), "all, in order"
        assert stuck.overflowed and stuck.queue.qsize() == QUEUE_SIZE
        assert not reader.overflowed
    finally:
        await bus.stop()


async def test_own_events_go_to_their_customer_only(db: Database) -> None:
    bus = EventBus(db, poll_seconds=3600)  # the test hands events out itself
    await bus.start()
    try:
        mine, theirs = bus.open("c1", Subscriptions()), bus.open("c2", Subscriptions())
        publish(db, 3, customer_id="c1")
        await bus.deliver_new()
        assert len(drain(mine)) == 3 and drain(theirs) == []
        bus.close(mine)
        publish(db, 1, customer_id="c1")
        await bus.deliver_new()
        assert drain(mine) == [], "a closed stream hears nothing more"
    finally:
        await bus.stop()


def event(impact: str, components: list[str], keys: list[str]) -> Event:
    return Event(
        id=1,
        kind="incident",
        entity_id="inc",
        version=1,
        data={"impact": impact, "components": components, "keys": keys},
        created_at="2026-11-22T00:00:00Z",
    )


def test_who_an_incident_concerns() -> None:
    ord_fan = Subscriptions(components=["flights-ord"], keys=["nw881"])
    assert concerns(event("critical", [], []), customer_id="c", subscriptions=ord_fan)
    assert concerns(event("minor", ["flights-ord"], []), customer_id="c", subscriptions=ord_fan)
    assert concerns(event("minor", [], ["NW881"]), customer_id="c", subscriptions=ord_fan)
    assert not concerns(event("major", ["baggage"], []), customer_id="c", subscriptions=ord_fan)
    follows_nothing = Subscriptions()
    assert concerns(event("minor", ["baggage"], []), customer_id="c", subscriptions=follows_nothing)
