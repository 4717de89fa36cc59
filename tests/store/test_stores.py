"""The two stores: public content and personal data in their own files; a file from an
older version (both in one) is split without losing an unsent change or what the customer
had read; migrations never lose the outbox; sign-out and erase leave nothing personal on
the disk."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.schemas import Component, Customer, Subscriptions
from app.store import open_local, open_personal, open_public
from app.store.database import connect
from app.store.migrations import MigrationError, current_version, migrate
from app.store.personal_schema import PERSONAL_SCHEMA
from app.store.public_schema import PUBLIC_SCHEMA
from tests.store.legacy import make_legacy_store, make_public_v1

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_each_store_has_only_its_own_tables(tmp_path: Path) -> None:
    open_local(tmp_path).close()
    personal, public = tables(tmp_path / "careline.sqlite3"), tables(tmp_path / "content.sqlite3")
    assert {"outbox", "cases", "callbacks", "uploads", "notified"} <= personal
    assert not {"articles", "components", "incidents", "queues"} & personal
    assert {"articles", "articles_fts", "components", "incidents", "queues"} <= public
    assert not {"outbox", "cases", "callbacks", "uploads"} & public


@pytest.mark.parametrize("version", [1, 4])
def test_a_file_from_an_older_version_is_split_keeping_everything(
    tmp_path: Path, version: int
) -> None:
    old = connect(tmp_path / "careline.sqlite3")
    make_legacy_store(old, version)
    old.execute(
        "INSERT INTO outbox (key, name, args, created_at) VALUES "
        "('k1', 'case.open', '{}', 'now'), ('k2', 'case.reply', '{}', 'now')"
    )
    old.execute(
        "INSERT INTO articles (id, slug, locale, title, body, category, tags, updated_at) "
        "VALUES ('en:a', 'a', 'en', 'Lost luggage', 'Report it', 'b', '', 'now')"
    )
    old.execute("INSERT INTO feeds (name, cursor) VALUES ('kb', '17'), ('private', '42')")
    old.close()

    stores = open_local(tmp_path)
    assert current_version(stores.personal.db.conn) == PERSONAL_SCHEMA.version
    assert [e.key for e in stores.personal.outbox.pending()] == ["k1", "k2"]
    assert [h.slug for h in stores.public.search.search("luggage")] == ["a"]
    assert stores.public.feeds.feed("kb").cursor == "17"
    assert stores.personal.feeds.feed("private").cursor == "42"
    stores.close()
    assert "articles" not in tables(tmp_path / "careline.sqlite3")


def test_a_migration_that_would_drop_unsynced_changes_is_refused(tmp_path: Path) -> None:
    conn = connect(tmp_path / "db.sqlite3")
    migrate(conn, PERSONAL_SCHEMA)
    conn.execute(
        "INSERT INTO outbox (key, name, args, created_at) VALUES ('k1', 'case.open', '{}', 'now')"
    )

    def careless(c: sqlite3.Connection) -> None:
        c.execute("DROP TABLE outbox")
        c.execute(
            "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT, state TEXT)"
        )

    with pytest.raises(MigrationError, match="would lose 1 unsynced"):
        migrate(conn, PERSONAL_SCHEMA, [(99, "careless", careless)])
    assert current_version(conn) == PERSONAL_SCHEMA.version
    assert conn.execute("SELECT key FROM outbox").fetchall()[0][0] == "k1"


def shapes(conn: sqlite3.Connection, names: set[str]) -> dict[str, list[tuple[object, ...]]]:
    """Each table's columns (name, type, NOT NULL, default, key) and indexes."""
    return {
        name: [tuple(c) for c in conn.execute(f"PRAGMA table_info({name})")]
        + [tuple(i)[1:3] for i in conn.execute(f"PRAGMA index_list({name})")]
        for name in names
    }


def test_new_files_have_the_tables_older_versions_made_in_sql(tmp_path: Path) -> None:
    """The tables sqlite-utils creates are those the frozen SQL of version 4 made."""
    old = connect(tmp_path / "careline.sqlite3")
    make_legacy_store(old, 4)
    new_public, new_personal = connect(":memory:"), connect(":memory:")
    migrate(new_public, PUBLIC_SCHEMA)
    migrate(new_personal, PERSONAL_SCHEMA)
    public = tables(tmp_path / "careline.sqlite3") & tables_of(new_public)
    assert {"meta", "feeds", "articles", "categories", "entity_versions"} <= public
    assert shapes(new_public, public) == shapes(old, public)
    migrate(old, PERSONAL_SCHEMA)  # version 5 only drops the public tables
    personal = tables_of(old)
    assert {"uploads", "notified", "outbox", "meta"} <= personal == tables_of(new_personal)
    assert shapes(new_personal, personal) == shapes(old, personal)


def tables_of(conn: sqlite3.Connection) -> set[str]:
    found = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {r[0] for r in found if not r[0].startswith("sqlite_")}


def test_a_new_file_is_made_at_the_latest_version_in_one_step(tmp_path: Path) -> None:
    conn = connect(tmp_path / "new.sqlite3")
    assert migrate(conn, PUBLIC_SCHEMA) == [PUBLIC_SCHEMA.version]
    assert migrate(conn, PUBLIC_SCHEMA) == []


def files_hold(folder: Path, text: str) -> list[str]:
    """Names of the store files in `folder` whose bytes contain `text`."""
    return [p.name for p in folder.glob("careline.sqlite3*") if text.encode() in p.read_bytes()]


@pytest.mark.parametrize("how", ["sign_out", "erase"])
def test_sign_out_and_erase_leave_nothing_personal_on_the_disk(tmp_path: Path, how: str) -> None:
    stores = open_local(tmp_path)
    personal = stores.personal
    personal.account.set_device_secret("hash-of-the-browser-key")
    personal.account.set_preference("locale", "es")
    personal.account.sign_in("clt_secret_token", Customer(id="c1", email="z@x.io", created_at=NOW))
    personal.cases.open(subject="Zanzibar refund", description="Card 4242", category="refunds")
    personal.account.set_subscriptions(Subscriptions(keys=["ZNZ"]))
    personal.account.set_preference("phone", "+15551234567")
    assert files_hold(tmp_path, "Zanzibar refund")

    getattr(personal, how)()

    for secret in ("Zanzibar refund", "clt_secret_token", "z@x.io", "+15551234567", "ZNZ"):
        assert files_hold(tmp_path, secret) == [], secret
    assert personal.cases.list() == [] and personal.outbox.pending() == []
    assert personal.account.token() is None and personal.account.customer() is None
    # The device stays the same device, in the language it was using.
    assert personal.account.device_secret() == "hash-of-the-browser-key"
    assert personal.account.preference("locale") == "es"
    personal.cases.open(subject="Next one", description="d", category="c")
    stores.close()
    assert [c.subject for c in open_local(tmp_path).personal.cases.list()] == ["Next one"]


def test_a_file_closed_while_idle_opens_again_when_used(tmp_path: Path) -> None:
    personal = open_personal(tmp_path, compact=True)
    personal.account.set_preference("locale", "es")
    with personal.db.transaction():
        assert not personal.db.close_if_idle(0), "never in the middle of a transaction"
    assert personal.db.close_if_idle(0)
    assert not personal.db.close_if_idle(0), "already closed"
    assert personal.account.preference("locale") == "es"
    assert not personal.db.close_if_idle(60), "just used"
    personal.close()


def test_lists_every_reader_shares_are_kept_until_the_store_changes() -> None:
    public = open_public(None, memory=True)
    component = Component(id="ord", name="Flights at ORD", updated_at=NOW)
    with public.db.transaction() as conn:
        public.content.save_component(conn, component)
    first = public.content.components()
    assert public.content.components() is first, "one copy for every visitor"
    with public.db.transaction() as conn:
        public.content.save_component(conn, component.model_copy(update={"name": "O'Hare"}))
    assert [c.name for c in public.content.components()] == ["O'Hare"]
    assert [c.name for c in first] == ["Flights at ORD"], "a list handed out never changes"


def test_a_public_store_of_version_1_gains_free_times_keeping_its_content(
    tmp_path: Path,
) -> None:
    old = connect(tmp_path / "content.sqlite3")
    make_public_v1(old)
    old.execute(
        "INSERT INTO articles (id, slug, locale, title, body, category, tags, updated_at) "
        "VALUES ('en:a', 'a', 'en', 'Lost luggage', 'Report it', 'b', '', 'now')"
    )
    old.execute("INSERT INTO feeds (name, cursor) VALUES ('kb', '17')")
    old.close()

    public = open_public(tmp_path)
    assert current_version(public.db.conn) == PUBLIC_SCHEMA.version
    assert [h.slug for h in public.search.search("luggage")] == ["a"]
    assert public.feeds.feed("kb").cursor == "17"
    assert public.free_times.last("help") is None
    new = connect(":memory:")
    migrate(new, PUBLIC_SCHEMA)
    migrated = shapes(public.db.conn, tables_of(new))
    assert migrated == shapes(new, tables_of(new)), "as a new file makes them"
    public.close()
