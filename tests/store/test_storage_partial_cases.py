"""A case change from the hub may carry only the messages it added (`messages_complete`
false: a live event, a push result). The device keeps the messages it holds and adds the
new ones by id, oldest first; when it cannot be sure it holds the rest (no copy, or a
version it never saw), it asks for a pull."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.schemas import Case, Change, Event, MutationResult
from app.store import LocalStores, open_local
from tests.case_factory import case, message


@pytest.fixture(params=["memory", "file"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> LocalStores:
    return open_local(memory=True) if request.param == "memory" else open_local(tmp_path)


def pulled(store: LocalStores, version: int, messages: list[dict[str, Any]]) -> None:
    data = case(messages, complete=True).model_dump(mode="json")
    change = Change(entity="case", op="upsert", id="case_1", version=version, data=data)
    store.personal.applier.apply_changes([change], "1")


def event(version: int, partial: Case, seq: int = 1) -> Event:
    return Event(
        id=seq,
        kind="case",
        entity_id="case_1",
        version=version,
        customer_id="cus_1",
        data=partial.model_dump(mode="json"),
        created_at="2026-11-22T12:00:00Z",
    )


def thread(store: LocalStores) -> list[tuple[str, str]]:
    view = store.personal.cases.get("case_1")
    assert view is not None
    return [(m.id, m.state) for m in view.messages]


def test_a_partial_event_adds_its_message_to_the_held_thread(store: LocalStores) -> None:
    pulled(store, 2, [message(1), message(2)])
    applied = store.personal.applier.apply_event(event(3, case([message(3)], complete=False)))
    assert applied.news and not applied.pull
    assert thread(store) == [("m1", "sent"), ("m2", "sent"), ("m3", "sent")]
    assert store.personal.cases.get("case_1").unread == 3  # type: ignore[union-attr]
    # A status change carries no messages and keeps them all.
    closed = case([], complete=False, status="solved")
    assert not store.personal.applier.apply_event(event(4, closed, seq=2)).pull
    view = store.personal.cases.get("case_1")
    assert view is not None and view.status == "solved"
    assert thread(store) == [("m1", "sent"), ("m2", "sent"), ("m3", "sent")]


def test_a_message_already_held_is_not_added_twice_and_order_is_oldest_first(
    store: LocalStores,
) -> None:
    pulled(store, 2, [message(1), message(3)])
    # An older message the device lacked and one it has, out of order.
    store.personal.applier.apply_event(event(3, case([message(3), message(2)], complete=False)))
    assert thread(store) == [("m1", "sent"), ("m2", "sent"), ("m3", "sent")]


def test_a_partial_case_this_device_does_not_hold_asks_for_a_pull(store: LocalStores) -> None:
    applied = store.personal.applier.apply_event(event(7, case([message(7)], complete=False)))
    assert applied.news and applied.pull
    assert thread(store) == [("m7", "sent")]  # what came is kept until the pull
    # The pull brings the whole thread, which replaces it.
    pulled(store, 7, [message(n) for n in range(1, 8)])
    assert [m for m, _ in thread(store)] == [f"m{n}" for n in range(1, 8)]


def test_a_version_gap_keeps_what_is_held_and_asks_for_a_pull(store: LocalStores) -> None:
    pulled(store, 2, [message(1), message(2)])
    # Version 3 (message 3) never arrived; version 4 brings message 4 only.
    applied = store.personal.applier.apply_event(event(4, case([message(4)], complete=False)))
    assert applied.news and applied.pull
    assert thread(store) == [("m1", "sent"), ("m2", "sent"), ("m4", "sent")]
    pulled(store, 4, [message(n) for n in range(1, 5)])
    assert [m for m, _ in thread(store)] == ["m1", "m2", "m3", "m4"]
    # A version already seen is no news and asks for nothing.
    again = store.personal.applier.apply_event(event(4, case([message(4)], complete=False)))
    assert not again.news and not again.pull


def test_a_reply_result_adds_the_reply_and_drops_its_local_copy(store: LocalStores) -> None:
    local_id = store.personal.cases.open(subject="Lost bag", description="Blue", category="bag")
    [opened] = store.personal.outbox.pending()
    whole = case([], complete=True, client_ref=local_id)
    store.personal.applier.apply_results(
        [
            MutationResult(
                seq=opened.seq,
                key=opened.key,
                status="applied",
                entity={"type": "case", "id": "case_1", "data": whole.model_dump(mode="json")},
            )
        ]
    )
    pulled(store, 2, [message(1)])
    reply_id = store.personal.cases.reply(local_id, "Any news?")
    [reply] = store.personal.outbox.pending()
    assert thread(store) == [("m1", "sent"), (reply_id, "queued")]
    added = case([message(2, "customer", client_ref=reply_id)], complete=False)
    store.personal.applier.apply_results(
        [
            MutationResult(
                seq=reply.seq,
                key=reply.key,
                status="applied",
                entity={"type": "case", "id": "case_1", "data": added.model_dump(mode="json")},
            )
        ]
    )
    assert thread(store) == [("m1", "sent"), ("m2", "sent")]


def test_a_complete_case_replaces_the_thread(store: LocalStores) -> None:
    pulled(store, 2, [message(1), message(2)])
    applied = store.personal.applier.apply_event(event(3, case([message(3)], complete=True)))
    assert applied.news and not applied.pull
    assert thread(store) == [("m3", "sent")]
