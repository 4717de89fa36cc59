"""The local store: every action writes its row and its outbox entry together, results
from the hub confirm or explain, migrations never lose unsynced changes."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.schemas import (
    CallbackMode,
    Case,
    Change,
    Customer,
    MutationName,
    MutationResult,
    Rejection,
    Subscriptions,
)
from app.store import LocalStores, open_local

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


@pytest.fixture
def store() -> LocalStores:
    return open_local(memory=True)


def outbox_rows(store: LocalStores) -> list[dict[str, Any]]:
    with store.personal.db.transaction() as conn:
        return [dict(r) for r in conn.execute("SELECT * FROM outbox ORDER BY seq")]


def server_case(local_id: str, **changes: Any) -> Case:
    data = {
        "id": "case_1",
        "number": 100001,
        "subject": "Lost bag",
        "description": "Blue",
        "category": "baggage",
        "status": "new",
        "client_ref": local_id,
        "created_at": NOW,
        "updated_at": NOW,
        **changes,
    }
    return Case.model_validate(data)


def test_open_store_in_a_folder(tmp_path: Path) -> None:
    store = open_local(tmp_path)
    assert store.personal.db.path == tmp_path / "careline.sqlite3"
    assert store.public.db.path == tmp_path / "content.sqlite3"
    for db in (store.personal.db, store.public.db):
        assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    first = store.personal.account.client_id()
    store.close()
    again = open_local(tmp_path)
    assert again.personal.account.client_id() == first
    assert again.personal.db.integrity_ok() and again.public.db.integrity_ok()


def test_opening_a_case_writes_row_and_outbox_together(store: LocalStores) -> None:
    local_id = store.personal.cases.open(subject=" Lost bag ", description="Blue", category="bag")
    [case] = store.personal.cases.list()
    assert (case.local_id, case.subject, case.sync_state) == (local_id, "Lost bag", "pending")
    [entry] = store.personal.outbox.pending()
    assert entry.name is MutationName.case_open
    assert entry.args["client_ref"] == local_id
    assert (entry.entity, entry.entity_id) == ("case", local_id)


def test_a_failed_write_leaves_neither_row_nor_outbox(store: LocalStores) -> None:
    def open_then_fail() -> None:
        with store.personal.db.transaction() as conn:
            conn.execute(
                "INSERT INTO cases (local_id, subject, status, updated_at, sync_state, "
                "data) VALUES ('x', 's', 'new', 'now', 'pending', '{}')"
            )
            store.personal.outbox.add(conn, MutationName.case_close, {"case": "x"})
            conn.execute("INSERT INTO cases (local_id) VALUES ('x')")

    with pytest.raises(sqlite3.IntegrityError):
        open_then_fail()
    assert store.personal.cases.list() == []
    assert outbox_rows(store) == []


def test_offline_reply_names_the_case_by_its_local_id_then_the_server_id(
    store: LocalStores,
) -> None:
    local_id = store.personal.cases.open(subject="Lost bag", description="Blue", category="bag")
    first = store.personal.cases.reply(local_id, "Any news?")
    [opened, reply] = store.personal.outbox.pending()
    assert reply.args == {
        "case": local_id,
        "body": "Any news?",
        "attachments": [],
        "client_ref": first,
    }
    case = server_case(local_id)
    store.personal.applier.apply_results(
        [
            MutationResult(
                seq=opened.seq,
                key=opened.key,
                status="applied",
                entity={"type": "case", "id": case.id, "data": case.model_dump(mode="json")},
            )
        ]
    )
    view = store.personal.cases.get(local_id)
    assert view is not None
    assert (view.server_id, view.number, view.sync_state) == ("case_1", 100001, "synced")
    assert [m.state for m in view.messages] == ["queued"]
    store.personal.cases.reply(local_id, "Hello?")
    assert store.personal.outbox.pending()[-1].args["case"] == "case_1"


def test_hub_thread_replaces_local_copies_and_counts_unread(store: LocalStores) -> None:
    local_id = store.personal.cases.open(subject="Lost bag", description="Blue", category="bag")
    message_id = store.personal.cases.reply(local_id, "Any news?")
    messages = [
        {
            "id": "m1",
            "case_id": "case_1",
            "author": "customer",
            "body": "Any news?",
            "client_ref": message_id,
            "channel": "email",
            "created_at": NOW,
        },
        {
            "id": "m2",
            "case_id": "case_1",
            "author": "agent",
            "author_name": "Maya",
            "body": "Found it",
            "created_at": NOW + timedelta(minutes=5),
        },
    ]
    store.personal.applier.apply_changes(
        [
            Change(
                entity="case",
                op="upsert",
                id="case_1",
                version=3,
                data=server_case(local_id, messages=messages, status="pending").model_dump(
                    mode="json"
                ),
            )
        ],
        "42",
    )
    view = store.personal.cases.get("case_1")
    assert view is not None
    assert [(m.body, m.state, m.channel) for m in view.messages] == [
        ("Any news?", "sent", "email"),
        ("Found it", "sent", "app"),
    ]
    assert view.unread == 1
    store.personal.cases.mark_read(local_id)
    assert store.personal.cases.get(local_id).unread == 0  # type: ignore[union-attr]
    assert store.personal.feeds.feed("private").cursor == "42"


def test_rejected_reply_is_kept_with_its_reason_and_can_be_sent_again(
    store: LocalStores,
) -> None:
    local_id = store.personal.cases.open(subject="Lost bag", description="Blue", category="bag")
    message_id = store.personal.cases.reply(local_id, "Hello")
    entry = store.personal.outbox.pending()[-1]
    reason = Rejection(code="case_closed", detail="Case 100001 is closed.")
    store.personal.applier.apply_results(
        [MutationResult(seq=entry.seq, key=entry.key, status="rejected", error=reason)]
    )
    view = store.personal.cases.get(local_id)
    assert view is not None
    [message] = view.messages
    assert (message.state, message.error) == ("failed", reason)
    assert store.personal.outbox.counts() == {"pending": 1, "rejected": 1}
    [failed] = store.personal.outbox.rejected()
    store.personal.outbox.dismiss(failed.seq)
    store.personal.cases.reply(local_id, "Hello again", message_id=message_id)
    retried = store.personal.cases.get(local_id)
    assert retried is not None
    assert [(m.body, m.state) for m in retried.messages] == [("Hello again", "queued")]


def test_callback_refused_shows_why_and_cancel_refused_restores(store: LocalStores) -> None:
    slot = NOW + timedelta(days=1)
    local_id = store.personal.callbacks.request(
        queue_id="rebooking", mode=CallbackMode.slot, phone="+13125550123", slot_start=slot
    )
    [entry] = store.personal.outbox.pending()
    full = Rejection(code="slot_full", detail="Taken.", alternatives=[{"start": "x"}])
    store.personal.applier.apply_results(
        [MutationResult(seq=entry.seq, key=entry.key, status="rejected", error=full)]
    )
    view = store.personal.callbacks.get(local_id)
    assert view is not None
    assert (view.status, view.sync_state, view.error) == ("rejected", "rejected", full)

    other = store.personal.callbacks.request(
        queue_id="general", mode=CallbackMode.asap, phone="+13125550123"
    )
    booked = store.personal.outbox.pending()[-1]
    server = {
        "id": "cb_1",
        "queue_id": "general",
        "mode": "asap",
        "status": "requested",
        "phone": "+13125550123",
        "client_ref": other,
        "created_at": NOW,
        "updated_at": NOW,
    }
    store.personal.applier.apply_results(
        [
            MutationResult(
                seq=booked.seq,
                key=booked.key,
                status="applied",
                entity={"type": "callback", "id": "cb_1", "data": server},
            )
        ]
    )
    store.personal.callbacks.cancel(other)
    assert store.personal.callbacks.get("cb_1").status == "cancelled"  # type: ignore[union-attr]
    cancel = store.personal.outbox.pending()[-1]
    assert cancel.args == {"callback": "cb_1"}
    store.personal.applier.apply_results(
        [
            MutationResult(
                seq=cancel.seq,
                key=cancel.key,
                status="rejected",
                error=Rejection(code="not_cancellable", detail="Already completed."),
            )
        ]
    )
    restored = store.personal.callbacks.get(other)
    assert restored is not None
    assert (restored.status, restored.sync_state) == ("requested", "synced")


def test_outbox_seq_is_never_reused_after_a_drain(store: LocalStores) -> None:
    store.personal.account.give_feedback("en:a", True)
    [first] = store.personal.outbox.pending()
    store.personal.applier.apply_results(
        [MutationResult(seq=first.seq, key=first.key, status="applied")]
    )
    assert store.personal.outbox.pending() == []
    store.personal.account.give_feedback("en:b", False, "unclear")
    [second] = store.personal.outbox.pending()
    assert second.seq > first.seq
    assert store.personal.account.feedback("en:a") == (True, "synced")


def test_session_expiry_keeps_the_outbox_sign_out_forgets_private_data(
    store: LocalStores,
) -> None:
    customer = Customer(id="cus_1", email="a@example.com", created_at=NOW)
    store.personal.account.sign_in("token-1", customer)
    store.personal.account.set_subscriptions(Subscriptions(keys=["ORD"]))
    store.personal.cases.open(subject="s", description="d", category="c")
    store.personal.account.session_expired()
    assert store.personal.account.token() is None
    assert store.personal.account.needs_sign_in()
    assert len(store.personal.outbox.pending()) == 2
    store.personal.account.sign_in("token-2", customer)
    assert len(store.personal.outbox.pending()) == 2, "same customer: nothing lost"
    store.personal.account.sign_out()
    assert store.personal.outbox.pending() == []
    assert store.personal.cases.list() == []
    assert store.personal.account.subscriptions() == Subscriptions()


def test_bulk_article_load_indexes_once_and_heals_after_a_crash(tmp_path: Path) -> None:
    from tests.store.kb_fixture import demo_articles

    store = open_local(tmp_path)
    articles = demo_articles()[:20]
    with store.public.content.bulk_articles(), store.public.db.transaction() as conn:
        for article in articles:
            store.public.content.save_article(conn, article)
    assert store.public.search.search(articles[0].title)[0].slug == articles[0].slug

    # A crash in the middle of a bulk load leaves the triggers off: reopening heals it.
    with store.public.db.transaction() as conn:
        conn.execute("DROP TRIGGER articles_ai")
        store.public.content.save_article(conn, demo_articles()[30])
    store.close()
    reopened = open_local(tmp_path)
    late = demo_articles()[30]
    assert reopened.public.search.search(late.title)[0].slug == late.slug
    with reopened.public.db.transaction() as conn:
        reopened.public.content.save_article(conn, demo_articles()[40])
    assert (
        reopened.public.search.search(demo_articles()[40].title)[0].slug == demo_articles()[40].slug
    )


def test_arguments_the_hub_would_refuse_are_refused_before_writing(store: LocalStores) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        store.personal.cases.open(subject="", description="d", category="c")
    with pytest.raises(ValidationError):
        store.personal.cases.open(subject="s", description="x" * 20_001, category="c")
    with pytest.raises(ValidationError):
        store.personal.callbacks.request(queue_id="q", mode=CallbackMode.asap, phone="")
    assert store.personal.cases.list() == []
    assert outbox_rows(store) == []


def test_a_refusal_without_a_reason_still_shows_one(store: LocalStores) -> None:
    local_id = store.personal.cases.open(subject="s", description="d", category="c")
    [entry] = store.personal.outbox.pending()
    store.personal.applier.apply_results(
        [MutationResult(seq=entry.seq, key=entry.key, status="rejected")]
    )
    view = store.personal.cases.get(local_id)
    assert view is not None and view.sync_state == "rejected"
    assert view.error is not None and view.error.detail


def test_resending_a_refused_reply_replaces_its_refusal(store: LocalStores) -> None:
    local_id = store.personal.cases.open(subject="s", description="d", category="c")
    message = store.personal.cases.reply(local_id, "Hello")
    entry = store.personal.outbox.pending()[-1]
    store.personal.applier.apply_results(
        [
            MutationResult(
                seq=entry.seq,
                key=entry.key,
                status="rejected",
                error=Rejection(code="case_closed", detail="Closed."),
            )
        ]
    )
    store.personal.cases.reply(local_id, "Hello again", message_id=message)
    assert store.personal.outbox.rejected() == []
    assert store.personal.outbox.counts() == {"pending": 2, "rejected": 0}


def test_refused_subscriptions_fall_back_to_what_the_hub_confirmed(store: LocalStores) -> None:
    store.personal.account.set_subscriptions(Subscriptions(keys=["ORD"]))
    [first] = store.personal.outbox.pending()
    store.personal.applier.apply_results(
        [MutationResult(seq=first.seq, key=first.key, status="applied")]
    )
    store.personal.account.set_subscriptions(Subscriptions(keys=["ORD", "???"]))
    [second] = store.personal.outbox.pending()
    store.personal.applier.apply_results(
        [
            MutationResult(
                seq=second.seq,
                key=second.key,
                status="rejected",
                error=Rejection(code="invalid", detail="Unknown key."),
            )
        ]
    )
    assert store.personal.account.subscriptions() == Subscriptions(keys=["ORD"])


def test_signing_out_says_how_many_unsent_changes_went(store: LocalStores) -> None:
    customer = Customer(id="cus_1", email="a@example.com", created_at=NOW)
    store.personal.account.sign_in("t", customer)
    store.personal.cases.open(subject="s", description="d", category="c")
    store.personal.account.give_feedback("en:a", True)
    assert store.personal.account.unsent_changes() == 2
    assert store.personal.account.sign_out() == 2
    assert store.personal.account.unsent_changes() == 0
