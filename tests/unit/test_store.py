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
from app.store import LocalStore, open_store
from app.store.local import connect
from app.store.migrations import MIGRATIONS, MigrationError, current_version, migrate

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


@pytest.fixture
def store() -> LocalStore:
    return open_store(memory=True)


def outbox_rows(store: LocalStore) -> list[dict[str, Any]]:
    with store.transaction() as conn:
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
    store = open_store(tmp_path)
    assert store.path == tmp_path / "careline.sqlite3"
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    first = store.repos.account.client_id()
    store.close()
    again = open_store(tmp_path)
    assert again.repos.account.client_id() == first
    assert again.integrity_ok()


def test_opening_a_case_writes_row_and_outbox_together(store: LocalStore) -> None:
    local_id = store.repos.cases.open(subject=" Lost bag ", description="Blue", category="bag")
    [case] = store.repos.cases.list()
    assert (case.local_id, case.subject, case.sync_state) == (local_id, "Lost bag", "pending")
    [entry] = store.repos.outbox.pending()
    assert entry.name is MutationName.case_open
    assert entry.args["client_ref"] == local_id
    assert (entry.entity, entry.entity_id) == ("case", local_id)


def test_a_failed_write_leaves_neither_row_nor_outbox(store: LocalStore) -> None:
    def open_then_fail() -> None:
        with store.transaction() as conn:
            conn.execute(
                "INSERT INTO cases (local_id, subject, status, updated_at, sync_state, "
                "data) VALUES ('x', 's', 'new', 'now', 'pending', '{}')"
            )
            store.repos.outbox.add(conn, MutationName.case_close, {"case": "x"})
            conn.execute("INSERT INTO cases (local_id) VALUES ('x')")

    with pytest.raises(sqlite3.IntegrityError):
        open_then_fail()
    assert store.repos.cases.list() == []
    assert outbox_rows(store) == []


def test_offline_reply_names_the_case_by_its_local_id_then_the_server_id(
    store: LocalStore,
) -> None:
    local_id = store.repos.cases.open(subject="Lost bag", description="Blue", category="bag")
    first = store.repos.cases.reply(local_id, "Any news?")
    [opened, reply] = store.repos.outbox.pending()
    assert reply.args == {
        "case": local_id,
        "body": "Any news?",
        "attachments": [],
        "client_ref": first,
    }
    case = server_case(local_id)
    store.repos.applier.apply_results(
        [
            MutationResult(
                seq=opened.seq,
                key=opened.key,
                status="applied",
                entity={"type": "case", "id": case.id, "data": case.model_dump(mode="json")},
            )
        ]
    )
    view = store.repos.cases.get(local_id)
    assert view is not None
    assert (view.server_id, view.number, view.sync_state) == ("case_1", 100001, "synced")
    assert [m.state for m in view.messages] == ["queued"]
    store.repos.cases.reply(local_id, "Hello?")
    assert store.repos.outbox.pending()[-1].args["case"] == "case_1"


def test_hub_thread_replaces_local_copies_and_counts_unread(store: LocalStore) -> None:
    local_id = store.repos.cases.open(subject="Lost bag", description="Blue", category="bag")
    message_id = store.repos.cases.reply(local_id, "Any news?")
    messages = [
        {
            "id": "m1",
            "case_id": "case_1",
            "author": "customer",
            "body": "Any news?",
            "client_ref": message_id,
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
    store.repos.applier.apply_changes(
        "private",
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
    view = store.repos.cases.get("case_1")
    assert view is not None
    assert [(m.body, m.state) for m in view.messages] == [
        ("Any news?", "sent"),
        ("Found it", "sent"),
    ]
    assert view.unread == 1
    store.repos.cases.mark_read(local_id)
    assert store.repos.cases.get(local_id).unread == 0  # type: ignore[union-attr]
    assert store.repos.account.feed("private").cursor == "42"


def test_rejected_reply_is_kept_with_its_reason_and_can_be_sent_again(
    store: LocalStore,
) -> None:
    local_id = store.repos.cases.open(subject="Lost bag", description="Blue", category="bag")
    message_id = store.repos.cases.reply(local_id, "Hello")
    entry = store.repos.outbox.pending()[-1]
    reason = Rejection(code="case_closed", detail="Case 100001 is closed.")
    store.repos.applier.apply_results(
        [MutationResult(seq=entry.seq, key=entry.key, status="rejected", error=reason)]
    )
    view = store.repos.cases.get(local_id)
    assert view is not None
    [message] = view.messages
    assert (message.state, message.error) == ("failed", reason)
    assert store.repos.outbox.counts() == {"pending": 1, "rejected": 1}
    [failed] = store.repos.outbox.rejected()
    store.repos.outbox.dismiss(failed.seq)
    store.repos.cases.reply(local_id, "Hello again", message_id=message_id)
    retried = store.repos.cases.get(local_id)
    assert retried is not None
    assert [(m.body, m.state) for m in retried.messages] == [("Hello again", "queued")]


def test_callback_refused_shows_why_and_cancel_refused_restores(store: LocalStore) -> None:
    slot = NOW + timedelta(days=1)
    local_id = store.repos.callbacks.request(
        queue_id="rebooking", mode=CallbackMode.slot, phone="+13125550123", slot_start=slot
    )
    [entry] = store.repos.outbox.pending()
    full = Rejection(code="slot_full", detail="Taken.", alternatives=[{"start": "x"}])
    store.repos.applier.apply_results(
        [MutationResult(seq=entry.seq, key=entry.key, status="rejected", error=full)]
    )
    view = store.repos.callbacks.get(local_id)
    assert view is not None
    assert (view.status, view.sync_state, view.error) == ("rejected", "rejected", full)

    other = store.repos.callbacks.request(
        queue_id="general", mode=CallbackMode.asap, phone="+13125550123"
    )
    booked = store.repos.outbox.pending()[-1]
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
    store.repos.applier.apply_results(
        [
            MutationResult(
                seq=booked.seq,
                key=booked.key,
                status="applied",
                entity={"type": "callback", "id": "cb_1", "data": server},
            )
        ]
    )
    store.repos.callbacks.cancel(other)
    assert store.repos.callbacks.get("cb_1").status == "cancelled"  # type: ignore[union-attr]
    cancel = store.repos.outbox.pending()[-1]
    assert cancel.args == {"callback": "cb_1"}
    store.repos.applier.apply_results(
        [
            MutationResult(
                seq=cancel.seq,
                key=cancel.key,
                status="rejected",
                error=Rejection(code="not_cancellable", detail="Already completed."),
            )
        ]
    )
    restored = store.repos.callbacks.get(other)
    assert restored is not None
    assert (restored.status, restored.sync_state) == ("requested", "synced")


def test_outbox_seq_is_never_reused_after_a_drain(store: LocalStore) -> None:
    store.repos.account.give_feedback("en:a", True)
    [first] = store.repos.outbox.pending()
    store.repos.applier.apply_results(
        [MutationResult(seq=first.seq, key=first.key, status="applied")]
    )
    assert store.repos.outbox.pending() == []
    store.repos.account.give_feedback("en:b", False, "unclear")
    [second] = store.repos.outbox.pending()
    assert second.seq > first.seq
    assert store.repos.account.feedback("en:a") == (True, "synced")


def test_session_expiry_keeps_the_outbox_sign_out_forgets_private_data(
    store: LocalStore,
) -> None:
    customer = Customer(id="cus_1", email="a@example.com", created_at=NOW)
    store.repos.account.sign_in("token-1", customer)
    store.repos.account.set_subscriptions(Subscriptions(keys=["ORD"]))
    store.repos.cases.open(subject="s", description="d", category="c")
    store.repos.account.session_expired()
    assert store.repos.account.token() is None
    assert store.repos.account.needs_sign_in()
    assert len(store.repos.outbox.pending()) == 2
    store.repos.account.sign_in("token-2", customer)
    assert len(store.repos.outbox.pending()) == 2, "same customer: nothing lost"
    store.repos.account.sign_out()
    assert store.repos.outbox.pending() == []
    assert store.repos.cases.list() == []
    assert store.repos.account.subscriptions() == Subscriptions()


def test_migrating_a_database_with_pending_changes_keeps_them(tmp_path: Path) -> None:
    conn = connect(tmp_path / "old.sqlite3")
    migrate(conn, MIGRATIONS[:1])
    assert current_version(conn) == 1
    conn.execute(
        "INSERT INTO outbox (key, name, args, created_at) VALUES "
        "('k1', 'case.open', '{}', 'now'), ('k2', 'case.reply', '{}', 'now')"
    )
    conn.execute(
        "INSERT INTO articles (id, slug, locale, title, body, category, tags, "
        "updated_at) VALUES ('en:a', 'a', 'en', 'Lost luggage', 'Report it', 'b', "
        "'', 'now')"
    )
    conn.close()
    upgraded = LocalStore(connect(tmp_path / "old.sqlite3"))
    assert migrate(upgraded.conn) == [2, 3, 4]
    assert current_version(upgraded.conn) == MIGRATIONS[-1][0]
    assert [e.key for e in upgraded.repos.outbox.pending()] == ["k1", "k2"]
    assert [h.slug for h in upgraded.repos.search.search("luggage")] == ["a"]


def test_a_migration_that_would_drop_unsynced_changes_is_refused(tmp_path: Path) -> None:
    conn = connect(tmp_path / "db.sqlite3")
    migrate(conn)
    conn.execute(
        "INSERT INTO outbox (key, name, args, created_at) VALUES ('k1', 'case.open', '{}', 'now')"
    )

    def careless(c: sqlite3.Connection) -> None:
        c.execute("DROP TABLE outbox")
        c.execute(
            "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT, state TEXT)"
        )

    with pytest.raises(MigrationError, match="would lose 1 unsynced"):
        migrate(conn, [*MIGRATIONS, (99, "careless", careless)])
    assert current_version(conn) == MIGRATIONS[-1][0]
    assert conn.execute("SELECT key FROM outbox").fetchall()[0][0] == "k1"


def test_bulk_article_load_indexes_once_and_heals_after_a_crash(tmp_path: Path) -> None:
    from tests.unit.kb_fixture import demo_articles

    store = open_store(tmp_path)
    articles = demo_articles()[:20]
    with store.bulk_articles(), store.transaction() as conn:
        for article in articles:
            store.repos.content.save_article(conn, article)
    assert store.repos.search.search(articles[0].title)[0].slug == articles[0].slug

    # A crash in the middle of a bulk load leaves the triggers off: reopening heals it.
    with store.transaction() as conn:
        conn.execute("DROP TRIGGER articles_ai")
        store.repos.content.save_article(conn, demo_articles()[30])
    store.close()
    reopened = open_store(tmp_path)
    late = demo_articles()[30]
    assert reopened.repos.search.search(late.title)[0].slug == late.slug
    with reopened.transaction() as conn:
        reopened.repos.content.save_article(conn, demo_articles()[40])
    assert (
        reopened.repos.search.search(demo_articles()[40].title)[0].slug == demo_articles()[40].slug
    )


def test_arguments_the_hub_would_refuse_are_refused_before_writing(store: LocalStore) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        store.repos.cases.open(subject="", description="d", category="c")
    with pytest.raises(ValidationError):
        store.repos.cases.open(subject="s", description="x" * 20_001, category="c")
    with pytest.raises(ValidationError):
        store.repos.callbacks.request(queue_id="q", mode=CallbackMode.asap, phone="")
    assert store.repos.cases.list() == []
    assert outbox_rows(store) == []


def test_a_refusal_without_a_reason_still_shows_one(store: LocalStore) -> None:
    local_id = store.repos.cases.open(subject="s", description="d", category="c")
    [entry] = store.repos.outbox.pending()
    store.repos.applier.apply_results(
        [MutationResult(seq=entry.seq, key=entry.key, status="rejected")]
    )
    view = store.repos.cases.get(local_id)
    assert view is not None and view.sync_state == "rejected"
    assert view.error is not None and view.error.detail


def test_resending_a_refused_reply_replaces_its_refusal(store: LocalStore) -> None:
    local_id = store.repos.cases.open(subject="s", description="d", category="c")
    message = store.repos.cases.reply(local_id, "Hello")
    entry = store.repos.outbox.pending()[-1]
    store.repos.applier.apply_results(
        [
            MutationResult(
                seq=entry.seq,
                key=entry.key,
                status="rejected",
                error=Rejection(code="case_closed", detail="Closed."),
            )
        ]
    )
    store.repos.cases.reply(local_id, "Hello again", message_id=message)
    assert store.repos.outbox.rejected() == []
    assert store.repos.outbox.counts() == {"pending": 2, "rejected": 0}


def test_refused_subscriptions_fall_back_to_what_the_hub_confirmed(store: LocalStore) -> None:
    store.repos.account.set_subscriptions(Subscriptions(keys=["ORD"]))
    [first] = store.repos.outbox.pending()
    store.repos.applier.apply_results(
        [MutationResult(seq=first.seq, key=first.key, status="applied")]
    )
    store.repos.account.set_subscriptions(Subscriptions(keys=["ORD", "???"]))
    [second] = store.repos.outbox.pending()
    store.repos.applier.apply_results(
        [
            MutationResult(
                seq=second.seq,
                key=second.key,
                status="rejected",
                error=Rejection(code="invalid", detail="Unknown key."),
            )
        ]
    )
    assert store.repos.account.subscriptions() == Subscriptions(keys=["ORD"])


def test_signing_out_says_how_many_unsent_changes_went(store: LocalStore) -> None:
    customer = Customer(id="cus_1", email="a@example.com", created_at=NOW)
    store.repos.account.sign_in("t", customer)
    store.repos.cases.open(subject="s", description="d", category="c")
    store.repos.account.give_feedback("en:a", True)
    assert store.repos.account.unsent_changes() == 2
    assert store.repos.account.sign_out() == 2
    assert store.repos.account.unsent_changes() == 0
