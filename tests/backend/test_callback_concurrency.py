"""Callback capacity under real concurrent transactions: threads, each with its own
transaction on the real database; and the nearest free slots against a whole search."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.backend.crud import auth
from app.backend.crud import availability as availability_crud
from app.backend.db import Database
from app.backend.db.tables import callbacks, slot_usage
from app.backend.sync_push import apply_mutation
from app.schemas import MutationIn, MutationName, MutationResult
from app.schemas.common import format_time
from tests.backend.support import PHONE, iso, ts
from tests.support import Company

Call = Callable[[], MutationResult]


def run_together(calls: list[Call]) -> Counter[str]:
    """Run the calls at the same moment; count their outcomes (status or rejection code)."""
    barrier = threading.Barrier(len(calls))

    def run(call: Call) -> MutationResult:
        barrier.wait(timeout=60)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        results = list(pool.map(run, calls))
    return Counter(r.error.code if r.error else r.status for r in results)


def change(name: MutationName, **args: Any) -> MutationIn:
    key = str(uuid.uuid4())
    return MutationIn(seq=1, key=key, name=name, args=args, created_at=datetime.now(UTC))


def booking(slot: datetime) -> MutationIn:
    args = {"queue": "help", "mode": "slot", "phone": PHONE, "slot_start": iso(slot)}
    return change(MutationName.callback_request, **args)


def apply(db: Database, customer_id: str, mutation: MutationIn) -> Call:
    return lambda: apply_mutation(db, customer_id=customer_id, client_id="app", mutation=mutation)


def prepare(db: Database, n: int) -> tuple[list[str], list[datetime]]:
    """n customers, and free slots a few hours ahead."""
    with db.write() as conn:
        ids = [auth.ensure_customer(conn, email=f"rush{i}@example.com").id for i in range(n)]
        found, _ = availability_crud.free_slots(
            conn, queue_id="help", start=None, end=None, limit=30
        )
    return ids, [s.start for s in found[10:]]


def seats(db: Database) -> dict[datetime, tuple[int, int]]:
    """Per slot: (places counted taken, active callbacks booked into it)."""
    with db.read() as conn:
        usage = conn.execute(select(slot_usage.c.slot_start, slot_usage.c.booked)).all()
        active = conn.execute(
            select(callbacks.c.slot_start).where(
                callbacks.c.status.in_(["scheduled", "requested"]),
                callbacks.c.slot_start.isnot(None),
            )
        ).scalars()
        booked = Counter(ts(s) for s in active)
    taken = {ts(s): n for s, n in usage if n}
    return {s: (taken.get(s, 0), booked[s]) for s in taken.keys() | booked.keys()}


def test_concurrent_bookings_never_exceed_capacity(db: Database, company: Company) -> None:
    ids, [slot, *_] = prepare(db, 12)
    outcomes = run_together([apply(db, i, booking(slot)) for i in ids])
    assert outcomes == {"applied": 3, "slot_full": 9}
    assert seats(db) == {slot: (3, 3)}


def test_concurrent_replays_of_one_key_apply_once(db: Database, company: Company) -> None:
    [customer], [slot, *_] = prepare(db, 1)
    same = booking(slot)
    assert run_together([apply(db, customer, same)] * 8) == {"applied": 1, "duplicate": 7}
    assert seats(db) == {slot: (1, 1)}


def test_concurrent_cancels_of_one_callback_free_one_place(db: Database, company: Company) -> None:
    ids, [slot, *_] = prepare(db, 3)
    first = [
        apply_mutation(db, customer_id=i, client_id="app", mutation=booking(slot)) for i in ids
    ]
    callback_id = first[0].entity["id"] if first[0].entity else ""
    cancels = [change(MutationName.callback_cancel, callback=callback_id) for _ in range(8)]
    outcomes = run_together([apply(db, ids[0], c) for c in cancels])  # 8 devices, 8 keys
    assert seats(db) == {slot: (2, 2)}, "a place counted free is still taken"
    assert outcomes == {"applied": 1, "not_cancellable": 7}


def test_concurrent_requests_of_one_customer_book_once(db: Database, company: Company) -> None:
    [customer], free = prepare(db, 1)
    outcomes = run_together([apply(db, customer, booking(s)) for s in free[:8]])
    assert outcomes == {"applied": 1, "already_booked": 7}
    assert sum(active for _, active in seats(db).values()) == 1


def test_concurrent_reschedules_hold_one_place(db: Database, company: Company) -> None:
    [customer], [slot, *targets] = prepare(db, 1)
    booked = apply_mutation(db, customer_id=customer, client_id="app", mutation=booking(slot))
    ref = booked.entity["id"] if booked.entity else ""
    moves = [
        change(MutationName.callback_reschedule, callback=ref, slot_start=iso(t))
        for t in targets[:6]
    ]
    run_together([apply(db, customer, m) for m in moves])
    taken = seats(db)
    assert [counts for counts in taken.values() if counts != (0, 0)] == [(1, 1)], taken


def test_the_nearest_free_slots_match_a_search_of_the_whole_horizon(
    db: Database, company: Company
) -> None:
    """Alternatives are searched near the refused time first (inside the booking's lock);
    with free slots few and far apart they are still the three nearest of all."""
    with db.write() as conn:
        every, _ = availability_crud.free_slots(
            conn, queue_id=company.queue_id, start=None, end=None, limit=10_000
        )
        for n, slot in enumerate(every):
            if n % 37 != 5:  # most slots full: the free ones are a day or more apart
                conn.execute(
                    slot_usage.insert().values(
                        queue_id=company.queue_id,
                        slot_start=format_time(slot.start),
                        booked=slot.remaining,
                    )
                )
    with db.read() as conn:
        free, _ = availability_crud.free_slots(
            conn, queue_id=company.queue_id, start=None, end=None, limit=10_000
        )
        assert 2 <= len(free) < 10
        first = every[0].start
        for hours in range(-30, 110, 7):
            near = first + timedelta(hours=hours, minutes=13)
            expected = sorted(
                sorted(free, key=lambda s: abs((s.start - near).total_seconds()))[:3],
                key=lambda s: s.start,
            )
            found = availability_crud.nearest_free_slots(conn, company.queue_id, near)
            assert found == [s.model_dump(mode="json") for s in expected], near
