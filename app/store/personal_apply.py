"""Applying what the hub sends about the customer to the personal store: the customer's
own feed page by page with its cursor, live events, and the results of a push."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from app.schemas import (
    Callback,
    Case,
    Change,
    Customer,
    Event,
    MutationResult,
    Rejection,
    Subscriptions,
)
from app.schemas.sync import RejectionCode
from app.store import tables
from app.store.account import Account
from app.store.base import Repo, held_version, hold_version
from app.store.callbacks import Callbacks
from app.store.cases import Cases
from app.store.database import Database
from app.store.feeds import Feeds
from app.store.outbox import Outbox
from app.store.push import Push

# A refusal that came without a reason still shows one.
UNEXPLAINED = Rejection(code=RejectionCode.refused, detail="The hub refused this change.")
TABLES = {"case": "cases", "callback": "callbacks"}
FEED = "private"


@dataclass(frozen=True)
class EventApplied:
    """What a live event did: `news` when this device had not seen that version; `pull`
    when it brought part of a case's thread that may miss messages (this device held no
    copy, or missed a version), so a pull should fetch the whole."""

    news: bool
    pull: bool = False


class PersonalApplier(Repo):
    def __init__(
        self,
        db: Database,
        *,
        account: Account,
        cases: Cases,
        callbacks: Callbacks,
        push: Push,
        outbox: Outbox,
        feeds: Feeds,
    ) -> None:
        super().__init__(db)
        self.account = account
        self.cases = cases
        self.callbacks = callbacks
        self.push = push
        self.outbox = outbox
        self.feeds = feeds

    def apply_changes(self, changes: Sequence[Change], cursor: str, *, reset: bool = False) -> None:
        """Apply one page of the customer's feed and move its cursor, all or nothing.
        `reset`: the hub sends everything again; what is synced and not waiting in the
        outbox goes first."""
        with self.db.transaction() as conn:
            if reset:
                for table in TABLES.values():
                    conn.execute(
                        f"DELETE FROM {table} WHERE sync_state = 'synced' AND local_id NOT IN "
                        "(SELECT entity_id FROM outbox WHERE entity_id IS NOT NULL)"
                    )
            for change in changes:
                self._apply(conn, change)
            self.feeds.save(conn, FEED, cursor=cursor)

    def apply_event(self, event: Event, *, public: bool = False) -> EventApplied:
        """Note a live event of the customer's stream (`public`: of the public one), and
        keep its entity if it is the customer's own, in one transaction with the stream's
        position. Not news when this device has already seen that version or a newer one
        (public entities go to the public store; this only tells whether this device has
        heard of them)."""
        with self.db.transaction() as conn:
            self.account.note_event(conn, event.id, public=public)
            held = held_version(conn, event.kind, event.entity_id)
            if held is not None and held >= event.version:
                return EventApplied(news=False)
            whole = True
            if event.kind in TABLES:
                whole = self._apply(conn, event.as_change())
            else:
                hold_version(conn, event.kind, event.entity_id, event.version)
            return EventApplied(news=True, pull=not whole)

    def _apply(self, conn: sqlite3.Connection, change: Change) -> bool:
        """Keep one change; False when it was part of a case's thread and messages before
        it may be missing here (no copy held, or a version in between never came)."""
        held = held_version(conn, change.entity, change.id)
        if held is not None and held > change.version and change.op == "upsert":
            return True  # a live event already brought a newer version
        whole = True
        data = change.data
        match change.entity:
            case "case" | "callback" if change.op == "delete" or data is None:
                conn.execute(
                    f"DELETE FROM {TABLES[change.entity]} WHERE server_id = ?", (change.id,)
                )
            case "case":
                case = Case.model_validate(data)
                whole = self.cases.apply_server(conn, case)
                if not case.messages_complete and (held is None or change.version > held + 1):
                    whole = False
            case "callback":
                self.callbacks.apply_server(conn, Callback.model_validate(data))
            case "subscriptions" if data is not None:
                kept = tables.get(conn, "subscriptions", 1)
                if kept is None or kept["sync_state"] != "pending":  # theirs, on its way, wins
                    self.account.save_subscriptions(conn, Subscriptions.model_validate(data))
            case _:
                return True  # public content (an older hub sends it here too), or a newer entity
        hold_version(conn, change.entity, change.id, change.version)
        return whole

    def apply_results(self, results: Sequence[MutationResult]) -> None:
        """Confirm applied (and duplicate) mutations and keep rejected ones with their
        reason; all in one transaction."""
        with self.db.transaction() as conn:
            for result in results:
                row = tables.get(conn, "outbox", result.seq)
                if row is None:
                    continue
                entity, entity_id = row["entity"], row["entity_id"]
                if result.status == "rejected":
                    reason = result.error or UNEXPLAINED
                    self.outbox.mark_rejected(conn, result.seq, reason)
                    self._reject(conn, entity, entity_id, reason)
                    continue
                self.outbox.remove(conn, result.seq)
                self._confirm(conn, entity, entity_id, result)

    def _confirm(
        self,
        conn: sqlite3.Connection,
        entity: str | None,
        entity_id: str | None,
        result: MutationResult,
    ) -> None:
        returned = result.entity or {}
        data = returned.get("data")
        if returned.get("type") == "case" and data:
            self.cases.apply_server(conn, Case.model_validate(data))
        elif returned.get("type") == "callback" and data:
            self.callbacks.apply_server(conn, Callback.model_validate(data))
        elif returned.get("type") == "customer" and data:
            self.account.note_customer(conn, Customer.model_validate(data))
        elif returned.get("type") == "device" and returned.get("id"):
            self.push.note_hub_device(conn, str(returned["id"]))
        elif entity in ("feedback", "subscriptions") and entity_id is not None:
            self.account.confirm(conn, entity, entity_id, "synced")

    def _reject(
        self,
        conn: sqlite3.Connection,
        entity: str | None,
        entity_id: str | None,
        reason: Rejection,
    ) -> None:
        if entity_id is None:
            return
        if entity in ("case", "message"):
            self.cases.reject(conn, entity, entity_id, reason)
        elif entity == "callback":
            self.callbacks.reject(conn, entity_id, reason)
        elif entity == "subscriptions":
            self.account.reject_subscriptions(conn)
        elif entity == "feedback":
            self.account.confirm(conn, entity, entity_id, "rejected")
