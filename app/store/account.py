"""The device's identity, the signed-in session, alert subscriptions, article votes and
preferences."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable

from app.schemas import ArticleFeedback, Customer, MutationName, Subscriptions
from app.schemas.common import as_multi_line
from app.store import tables
from app.store.base import Repo, dumps, loads, new_local_id, now_text
from app.store.database import Database
from app.store.feeds import Feeds
from app.store.outbox import Outbox
from app.store.tokens import StoreTokens, TokenKeeper

# What a device keeps when its personal data is wiped (sign-out, erase): the key its
# browser holds, and how the customer likes the app to look and speak.
DEVICE_SETTINGS = ("device_secret", "pref:locale", "pref:theme", "pref:alerts_prompted")
# The help articles read last on this device (kept for reading offline).
READ_ARTICLES = 20


class Account(Repo):
    def __init__(
        self, db: Database, *, outbox: Outbox, feeds: Feeds, tokens: TokenKeeper | None = None
    ) -> None:
        super().__init__(db)
        self.outbox = outbox
        self.feeds = feeds
        self.tokens = tokens or StoreTokens()

    def client_id(self) -> str:
        """This installation's id, made once."""
        return self._made_once("client_id", new_local_id)

    def voter_key(self) -> str:
        """This device's random key for anonymous votes on articles, made once: the hub
        counts one vote per key and article and keeps only the key's hash. It is not the
        client id, which signed-in pushes carry, so a vote cannot be tied to an account."""
        return self._made_once("voter_key", lambda: secrets.token_urlsafe(24))

    def _made_once(self, key: str, make: Callable[[], str]) -> str:
        """The value kept under `key`, made by `make` and kept the first time."""
        with self.db.transaction() as conn:
            value = tables.meta(conn, key)
            if value is None:
                value = make()
                self._set(conn, key, value)
            return value

    def _get(self, key: str) -> str | None:
        with self.db.transaction() as conn:
            return tables.meta(conn, key)

    def _set(self, conn: sqlite3.Connection, key: str, value: str | None) -> None:
        tables.set_meta(conn, key, value)

    def token(self) -> str | None:
        with self.db.transaction() as conn:
            return self.tokens.get(conn)

    def customer(self) -> Customer | None:
        found = self._get("customer")
        return Customer.model_validate_json(found) if found else None

    def sign_in(self, token: str, customer: Customer) -> None:
        """Keep the session. A different customer than before starts from a clean slate
        of private data (what the previous one had not sent cannot be sent as this one);
        the outbox of the same customer is kept. On a device nobody had signed in on, what
        it followed joins what the customer follows (rather than replacing it)."""
        with self.db.transaction() as conn:
            previous = self.customer()
            if previous is not None and previous.id != customer.id:
                self._forget_private(conn)
            if previous is None:
                conn.execute(
                    "UPDATE outbox SET name = ? WHERE name = ? AND state = 'pending'",
                    (MutationName.subscriptions_join.value, MutationName.subscriptions_set.value),
                )
            self.tokens.put(conn, token)
            self._set(conn, "customer", customer.model_dump_json())
            self._set(conn, "needs_sign_in", None)
            self.feeds.forget(conn, "private")

    def session_expired(self) -> None:
        """The hub said 401: ask for a new sign-in, keep everything queued."""
        with self.db.transaction() as conn:
            self.tokens.put(conn, None)
            self._set(conn, "needs_sign_in", "1")

    def needs_sign_in(self) -> bool:
        return self._get("needs_sign_in") == "1"

    def sign_out(self) -> int:
        """Forget the session and this customer's data on this device; returns how many
        unsent changes went with it (the UI asks before, see `unsent_changes`)."""
        with self.db.transaction() as conn:
            self.tokens.put(conn, None)
            self._set(conn, "customer", None)
            self._set(conn, "needs_sign_in", None)
            return self._forget_private(conn)

    def erase(self) -> None:
        """The account is erased on the hub: forget everything personal on this device
        too (the session, the customer's data, files waiting to be sent, the phone number
        remembered for callbacks, which updates were shown). Public content stays."""
        with self.db.transaction() as conn:
            self.tokens.put(conn, None)
            self._set(conn, "customer", None)
            self._set(conn, "needs_sign_in", None)
            self._forget_private(conn)
            conn.execute("DELETE FROM meta WHERE key IN ('pref:phone', 'pref:phone_country')")
            for table in ("uploads", "notified", "entity_versions"):
                conn.execute(f"DELETE FROM {table}")

    def unsent_changes(self) -> int:
        """Changes not yet accepted by the hub (waiting or refused)."""
        counts = self.outbox.counts()
        return counts["pending"] + counts["rejected"]

    def _forget_private(self, conn: sqlite3.Connection) -> int:
        unsent = int(conn.execute("SELECT count(*) FROM outbox").fetchone()[0])
        for table in ("cases", "case_messages", "callbacks", "subscriptions", "feedback", "outbox"):
            conn.execute(f"DELETE FROM {table}")
        self.feeds.forget(conn, "private")
        conn.execute("DELETE FROM meta WHERE key IN ('subscriptions:hub', 'last_event_id')")
        conn.execute("DELETE FROM meta WHERE key LIKE 'push:%'")  # the hub knows it as theirs
        return unsent

    # Live events: where the stream resumes, and the updates already shown.

    def last_event_id(self, *, public: bool = False) -> int | None:
        """Where the customer's stream (or, `public`, the public one) resumes."""
        value = self._get(_position_key(public))
        return int(value) if value else None

    def set_last_event_id(self, event_id: int, *, public: bool = False) -> None:
        with self.db.transaction() as conn:
            self.note_event(conn, event_id, public=public)

    def note_event(self, conn: sqlite3.Connection, event_id: int, *, public: bool = False) -> None:
        """Inside the transaction that applies the event: resume after it."""
        self._set(conn, _position_key(public), str(event_id))

    def first_notice(self, key: str) -> bool:
        """Mark an update as shown; False when it already was."""
        with self.db.transaction() as conn:
            done = conn.execute(
                "INSERT OR IGNORE INTO notified (key, created_at) VALUES (?, ?)", (key, now_text())
            )
            return done.rowcount == 1

    # Subscriptions and votes: written locally and queued in one transaction.

    def subscriptions(self) -> Subscriptions:
        with self.db.transaction() as conn:
            row = tables.get(conn, "subscriptions", 1)
        return Subscriptions.model_validate_json(row["data"]) if row else Subscriptions()

    def subscriptions_state(self) -> str:
        """pending (on its way), synced, or rejected (the hub's last copy is shown)."""
        with self.db.transaction() as conn:
            row = tables.get(conn, "subscriptions", 1)
        return str(row["sync_state"]) if row else "synced"

    def set_subscriptions(self, wanted: Subscriptions) -> None:
        with self.db.transaction() as conn:
            self.save_subscriptions(conn, wanted, state="pending")
            self.outbox.add(
                conn,
                MutationName.subscriptions_set,
                wanted.model_dump(mode="json"),
                entity="subscriptions",
                entity_id="1",
            )

    def reject_subscriptions(self, conn: sqlite3.Connection) -> None:
        """The hub refused the customer's change: show what the hub last confirmed."""
        hub = tables.meta(conn, "subscriptions:hub")
        confirmed = Subscriptions.model_validate_json(hub) if hub else Subscriptions()
        self.save_subscriptions(conn, confirmed, state="rejected")

    def save_subscriptions(
        self, conn: sqlite3.Connection, wanted: Subscriptions, *, state: str = "synced"
    ) -> None:
        record = {"id": 1, "data": wanted.model_dump_json(), "sync_state": state}
        tables.upsert(conn, "subscriptions", record, pk="id")
        if state == "synced":
            self._set(conn, "subscriptions:hub", wanted.model_dump_json())

    def give_feedback(self, article_id: str, helpful: bool, comment: str | None = None) -> None:
        comment = as_multi_line(comment) if comment else None
        feedback = ArticleFeedback(article=article_id, helpful=helpful, comment=comment or None)
        with self.db.transaction() as conn:
            vote = {
                "article_id": article_id,
                "helpful": int(helpful),
                "comment": feedback.comment,
                "sync_state": "pending",
                "created_at": now_text(),
            }
            tables.upsert(conn, "feedback", vote, pk="article_id")
            self.outbox.add(
                conn,
                MutationName.article_feedback,
                feedback.model_dump(mode="json"),
                entity="feedback",
                entity_id=article_id,
            )

    def feedback(self, article_id: str) -> tuple[bool, str] | None:
        """The customer's vote on an article and its sync state."""
        with self.db.transaction() as conn:
            row = tables.get(conn, "feedback", article_id)
        return (bool(row["helpful"]), str(row["sync_state"])) if row else None

    def confirm(self, conn: sqlite3.Connection, entity: str, entity_id: str, state: str) -> None:
        if entity == "feedback":
            conn.execute(
                "UPDATE feedback SET sync_state = ? WHERE article_id = ?", (state, entity_id)
            )
        elif entity == "subscriptions":
            conn.execute("UPDATE subscriptions SET sync_state = ?", (state,))
            row = tables.get(conn, "subscriptions", 1)
            if row and state == "synced":
                self._set(conn, "subscriptions:hub", row["data"])

    def set_locale(self, locale: str) -> None:
        """The app's language; signed in, queued for the hub in the same transaction."""
        with self.db.transaction() as conn:
            self._set(conn, "pref:locale", locale)
            found = tables.meta(conn, "customer")
            if found is not None:
                customer = Customer.model_validate_json(found)
                args = {"locale": locale}
                self.outbox.add(
                    conn,
                    MutationName.account_locale,
                    args,
                    entity="customer",
                    entity_id=customer.id,
                )

    def note_customer(self, conn: sqlite3.Connection, customer: Customer) -> None:
        """The hub's copy of the signed-in customer (after a change of theirs)."""
        found = tables.meta(conn, "customer")
        if found is not None and Customer.model_validate_json(found).id == customer.id:
            self._set(conn, "customer", customer.model_dump_json())

    def preference(self, key: str) -> str | None:
        return self._get(f"pref:{key}")

    def set_preference(self, key: str, value: str) -> None:
        with self.db.transaction() as conn:
            self._set(conn, f"pref:{key}", value)

    def note_read(self, slug: str) -> None:
        """The customer read this article: it goes first in `read_articles`."""
        with self.db.transaction() as conn:
            read = tables.meta(conn, "read_articles")
            slugs = [s for s in (loads(read) if read else []) if s != slug]
            self._set(conn, "read_articles", dumps([slug, *slugs][:READ_ARTICLES]))

    def read_articles(self) -> list[str]:
        """Slugs of the articles read on this device, the latest first."""
        found = self._get("read_articles")
        return [str(slug) for slug in loads(found)] if found else []

    def device_settings(self) -> dict[str, str]:
        """What survives a wipe (`DEVICE_SETTINGS`), to be put back in the new file."""
        marks = ", ".join("?" for _ in DEVICE_SETTINGS)
        rows = self.rows("meta", f"key IN ({marks})", DEVICE_SETTINGS)
        return {str(r["key"]): str(r["value"]) for r in rows}

    def restore_settings(self, settings: dict[str, str]) -> None:
        with self.db.transaction() as conn:
            for key, value in settings.items():
                if key in DEVICE_SETTINGS:
                    self._set(conn, key, value)

    # A browser is a device: the server keeps a hash of the secret the browser holds.

    def device_secret(self) -> str | None:
        return self._get("device_secret")

    def set_device_secret(self, secret_hash: str) -> None:
        with self.db.transaction() as conn:
            self._set(conn, "device_secret", secret_hash)


def _position_key(public: bool) -> str:
    # Two streams, two positions: the public one must never move the customer's past
    # one of their own events still to come.
    return "last_public_event_id" if public else "last_event_id"
