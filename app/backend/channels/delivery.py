"""The background loop that empties the channel outbox into the helpdesk, in order per
case, and now and then reconciles open tickets with what the hub has recorded.

Exactly once: before creating a ticket or a comment the loop looks for it by its marker
(`find_ticket`, `has_comment`), so an attempt whose answer was lost after the helpdesk
acted is settled by the next one finding what it made. A helpdesk that cannot be reached
(or asks to wait) is tried again after an exponential backoff with jitter, at least as
long as its Retry-After; one that refuses fails the item for an operator's replay."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from app.backend.backoff import backoff_seconds
from app.backend.channels import drafts, inbound, outbox
from app.backend.channels.connector import (
    Connector,
    ConnectorRefused,
    ConnectorUnavailable,
    ExternalChange,
    ExternalReply,
)
from app.backend.channels.outbox import Item, Kind, State
from app.backend.db import Database
from app.backend.db.tables import channel_comments, channel_tickets
from app.backend.util import format_time, now
from app.background import BackgroundTask

log = logging.getLogger("careline.channels")
T = TypeVar("T")
LEASE = timedelta(minutes=5)  # an attempt's item is due again if its process died


class ChannelOutbox:
    def __init__(
        self,
        db: Database,
        connector: Connector,
        *,
        poll_seconds: float = 1.0,
        retry_base: float = 2.0,
        retry_cap: float = 3600.0,
        reconcile_seconds: float = 300.0,
        max_messages: int | None = None,
        max_attachment_bytes: int = 10_000_000,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        self.db = db
        self.connector = connector
        self.poll_seconds = poll_seconds
        self.retry_base = retry_base
        self.retry_cap = retry_cap
        self.reconcile_seconds = reconcile_seconds
        self.max_messages = max_messages
        self.max_attachment_bytes = max_attachment_bytes
        self.on_change = on_change  # after the loop changed a case: send its events
        self._rounds = BackgroundTask(self._run, "careline-channels")

    def start(self) -> None:
        self._rounds.start()

    async def stop(self) -> None:
        await self._rounds.stop()

    async def _run(self) -> None:
        reconciled = time.monotonic()
        while True:
            try:
                await self.deliver_due()
                if time.monotonic() - reconciled >= self.reconcile_seconds:
                    reconciled = time.monotonic()
                    await self.reconcile()
            except Exception:  # the database away, a bug: log, keep the loop alive
                log.exception("channel outbox round failed")
            await asyncio.sleep(self.poll_seconds)

    def _write(self, work: Callable[[Connection], T]) -> T:
        with self.db.write() as conn:
            return work(conn)

    async def deliver_due(self) -> int:
        """Deliver every item due now, one attempt each; how many were delivered."""
        name = self.connector.name
        due = await asyncio.to_thread(self._write, lambda c: outbox.heads(c, name))
        delivered = 0
        for item in due:
            claimed = await asyncio.to_thread(
                self._write, lambda c, i=item: outbox.claim(c, i, LEASE)
            )
            if claimed and await self.attempt(item):
                delivered += 1
        return delivered

    async def attempt(self, item: Item) -> bool:
        """One delivery attempt of a claimed item, settled in the outbox; True if done."""
        try:
            await self._deliver(item)
        except ConnectorRefused as refused:
            log.warning("%s refused outbox item %d: %s", self.connector.name, item.id, refused)
            await self._settle(item, State.failed, error=f"refused: {refused}")
            return False
        except Exception as error:  # unreachable, 5xx, 429 or anything unforeseen: later
            retry_after = error.retry_after if isinstance(error, ConnectorUnavailable) else None
            if not isinstance(error, ConnectorUnavailable):
                log.exception("outbox item %d failed", item.id)
            wait = self.backoff(item.attempts + 1, retry_after)
            retry_at = now() + timedelta(seconds=wait)
            await self._settle(item, State.pending, error=str(error) or repr(error), at=retry_at)
            return False
        await self._settle(item, State.done)
        return True

    def backoff(self, attempts: int, retry_after: float | None = None) -> float:
        """Seconds before attempt `attempts` + 1: doubling from `retry_base` up to
        `retry_cap`, jittered to between half and all of it (so items failed together do
        not come back together), never sooner than the helpdesk's `retry_after`."""
        return backoff_seconds(
            attempts, first=self.retry_base, longest=self.retry_cap, retry_after=retry_after
        )

    async def _settle(
        self, item: Item, state: State, *, error: str | None = None, at: datetime | None = None
    ) -> None:
        def work(conn: Connection) -> None:
            outbox.settle(conn, item.id, state, error=error, retry_at=at)

        await asyncio.to_thread(self._write, work)

    async def _deliver(self, item: Item) -> None:
        ticket_id = await self._ticket(item.case_id)
        if item.kind is Kind.status:
            status = await asyncio.to_thread(
                self._write, lambda c: drafts.ticket_status(c, item.case_id)
            )
            await self.connector.set_status(ticket_id, status)
        elif item.kind is Kind.comment and item.message_id is not None:
            await self._comment(ticket_id, item.case_id, item.message_id)

    async def _ticket(self, case_id: str) -> str:
        """The case's ticket: linked already, found by its marker, or created now."""
        name = self.connector.name

        def linked(conn: Connection) -> str | None:
            return conn.execute(
                select(channel_tickets.c.ticket_id).where(
                    channel_tickets.c.connector == name, channel_tickets.c.case_id == case_id
                )
            ).scalar()

        found = await asyncio.to_thread(self._write, linked)
        if found is not None:
            return found
        found = await self.connector.find_ticket(case_id)
        if found is None:
            draft = await asyncio.to_thread(self._write, lambda c: drafts.ticket_draft(c, case_id))
            found = await self.connector.create_ticket(draft)
        ticket_id = found

        def link(conn: Connection) -> None:
            try:
                with conn.begin_nested():
                    conn.execute(
                        insert(channel_tickets).values(
                            connector=name,
                            case_id=case_id,
                            ticket_id=ticket_id,
                            created_at=format_time(now()),
                        )
                    )
            except IntegrityError:
                pass  # linked by another process at the same moment

        await asyncio.to_thread(self._write, link)
        return ticket_id

    async def _comment(self, ticket_id: str, case_id: str, message_id: str) -> None:
        name = self.connector.name

        def sent(conn: Connection) -> bool:
            query = select(channel_comments.c.id).where(
                channel_comments.c.connector == name, channel_comments.c.message_id == message_id
            )
            return conn.execute(query).first() is not None

        if await asyncio.to_thread(self._write, sent):
            return
        comment_id: str | None = None
        if not await self.connector.has_comment(ticket_id, message_id):
            draft = await asyncio.to_thread(
                self._write, lambda c: drafts.comment_draft(c, case_id, message_id)
            )
            comment_id = await self.connector.add_comment(ticket_id, draft)

        def record(conn: Connection) -> None:
            inbound.record_comment(
                conn,
                name,
                case_id=case_id,
                comment_id=comment_id,
                message_id=message_id,
                direction="out",
            )

        await asyncio.to_thread(self._write, record)

    async def reconcile(self) -> int:
        """Read every open linked ticket's history and apply what the hub lacks (a lost
        webhook); how many changes were applied. A ticket the helpdesk will not show now
        is tried on the next pass."""
        name = self.connector.name
        tickets = await asyncio.to_thread(self._write, lambda c: inbound.open_tickets(c, name))
        applied = 0
        for ticket_id in tickets:
            try:
                changes = await self.connector.changes(ticket_id)
            except (ConnectorUnavailable, ConnectorRefused) as error:
                log.warning("%s: reconciling ticket %s: %s", name, ticket_id, error)
                continue
            changes = await self.complete(changes)
            applied += await asyncio.to_thread(self._write, lambda c, f=changes: self.apply(c, f))
        if applied:
            self.on_change()
        return applied

    async def complete(self, changes: list[ExternalChange]) -> list[ExternalChange]:
        """`changes` without the replies the hub has recorded, each other reply with the
        files the helpdesk did not send along. A reply whose files cannot be read now is
        left out: the next reconciliation pass brings it."""
        name = self.connector.name
        ids = [c.comment_id for c in changes if isinstance(c, ExternalReply)]

        def recorded(conn: Connection) -> set[str]:
            query = select(channel_comments.c.comment_id).where(
                channel_comments.c.connector == name, channel_comments.c.comment_id.in_(ids)
            )
            return {str(r.comment_id) for r in conn.execute(query)}

        known = await asyncio.to_thread(self._write, recorded) if ids else set()
        completed: list[ExternalChange] = []
        for change in changes:
            if isinstance(change, ExternalReply):
                if change.comment_id in known:
                    continue
                if change.files_to_fetch:
                    try:
                        files = await self.connector.fetch_attachments(
                            change, self.max_attachment_bytes
                        )
                    except (ConnectorUnavailable, ConnectorRefused) as error:
                        log.warning("%s: files of reply %s: %s", name, change.comment_id, error)
                        continue
                    change = replace(change, attachments=files, files_to_fetch=False)
            completed.append(change)
        return completed

    def apply(self, conn: Connection, changes: list[ExternalChange]) -> int:
        return inbound.apply_changes(
            conn,
            self.connector.name,
            changes,
            max_messages=self.max_messages,
            max_attachment_bytes=self.max_attachment_bytes,
        )
