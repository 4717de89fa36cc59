"""The channel outbox: what a customer does to a case reaches the helpdesk once, in
order, across outages and lost answers (on SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update

from app.backend.channels import outbox
from app.backend.channels.connector import ConnectorRefused, TicketStatus
from app.backend.channels.delivery import ChannelOutbox
from app.backend.db import Database
from app.backend.db.tables import channel_outbox
from app.backend.util import format_time, now
from tests.backend.channels_support import FakeHelpdesk, drain, outbox_of
from tests.backend.support import upload_png
from tests.support import mutation, push, sign_in


def _db(api: FastAPI) -> Database:
    found: Database = api.state.hub.db
    return found


async def _open_case(client: httpx.AsyncClient, api: FastAPI) -> tuple[dict[str, str], str]:
    alice = await sign_in(client, _db(api), "alice@example.com")
    file = await upload_png(client, alice, "boarding-pass.png")
    (opened,) = await push(
        client,
        alice,
        mutation("case.open", subject="Lost bag", description="Blue suitcase", attachments=[file]),
    )
    assert opened["status"] == "applied", opened
    return alice, str(opened["entity"]["id"])


def _items(api: FastAPI) -> list[outbox.Item]:
    with _db(api).read() as conn:
        return outbox.backlog(conn, include_done=True)


def _due_now(api: FastAPI) -> None:
    """Time passes: every waiting item is due."""
    with _db(api).write() as conn:
        conn.execute(update(channel_outbox).values(next_attempt_at=format_time(now())))


async def test_a_case_its_replies_and_its_closing_reach_the_helpdesk_once_in_order(
    channel_client: httpx.AsyncClient, channel_app: FastAPI, helpdesk: FakeHelpdesk
) -> None:
    alice, case_id = await _open_case(channel_client, channel_app)
    replies = [
        mutation("case.reply", seq=2, case=case_id, body="It has a red tag"),
        mutation("case.reply", seq=3, case=case_id, body="And a sticker"),
        mutation("case.close", seq=4, case=case_id),
    ]
    assert [r["status"] for r in await push(channel_client, alice, *replies)] == ["applied"] * 3
    assert [i.kind for i in _items(channel_app)] == ["ticket", "comment", "comment", "status"]

    assert await drain(outbox_of(channel_app)) == 4
    (ticket,) = helpdesk.tickets.values()
    assert ticket.draft.case_id == case_id
    assert ticket.draft.requester_email == "alice@example.com"
    assert [a.filename for a in ticket.draft.attachments] == ["boarding-pass.png"]
    assert [c.body for c in ticket.comments] == ["It has a red tag", "And a sticker"]
    assert ticket.status is TicketStatus.solved
    assert {i.state for i in _items(channel_app)} == {outbox.State.done}
    assert await drain(outbox_of(channel_app)) == 0  # nothing goes twice


async def test_nothing_is_enqueued_for_a_refused_change_or_without_a_helpdesk(
    channel_client: httpx.AsyncClient, channel_app: FastAPI, client: httpx.AsyncClient, db: Database
) -> None:
    alice, case_id = await _open_case(channel_client, channel_app)
    closing = [mutation("case.close", seq=2, case=case_id)]
    await push(channel_client, alice, *closing)
    (refused,) = await push(
        channel_client, alice, mutation("case.reply", seq=3, case=case_id, body="Hello?")
    )
    assert refused["status"] == "rejected", refused
    assert [i.kind for i in _items(channel_app)] == ["ticket", "status"]
    # A hub (on the same database) that feeds no helpdesk enqueues nothing.
    bob = await sign_in(client, db, "bob@example.com")
    (opened,) = await push(client, bob, mutation("case.open", subject="Hi", description="There"))
    assert opened["status"] == "applied"
    assert [i.case_id for i in _items(channel_app)] == [case_id, case_id]


async def test_an_outage_mid_way_waits_its_backoff_and_then_delivers_once(
    channel_client: httpx.AsyncClient, channel_app: FastAPI, helpdesk: FakeHelpdesk
) -> None:
    alice, case_id = await _open_case(channel_client, channel_app)
    await push(channel_client, alice, mutation("case.reply", seq=2, case=case_id, body="More"))
    helpdesk.faults = {"has_comment": ["down"]}  # the ticket goes, the comment does not
    sent = outbox_of(channel_app)
    assert await sent.deliver_due() == 1
    assert await sent.deliver_due() == 0
    waiting = [i for i in _items(channel_app) if i.state is outbox.State.pending]
    assert len(waiting) == 1 and waiting[0].attempts == 1
    assert "has_comment: down" in str(waiting[0].last_error)
    # The helpdesk asked for 30 s (Retry-After): the item is not due before.
    assert waiting[0].next_attempt_at >= now() + timedelta(seconds=29)
    assert await sent.deliver_due() == 0
    _due_now(channel_app)
    assert await drain(sent) == 1
    (ticket,) = helpdesk.tickets.values()
    assert [c.body for c in ticket.comments] == ["More"]


async def test_a_lost_answer_after_the_helpdesk_acted_makes_nothing_twice(
    channel_client: httpx.AsyncClient, channel_app: FastAPI, helpdesk: FakeHelpdesk
) -> None:
    alice, case_id = await _open_case(channel_client, channel_app)
    await push(channel_client, alice, mutation("case.reply", seq=2, case=case_id, body="More"))
    helpdesk.faults = {"create_ticket": ["lost"], "add_comment": ["lost"]}
    sent = outbox_of(channel_app)
    for _ in range(4):  # each answer is lost once; the retry finds what was made
        await sent.deliver_due()
        _due_now(channel_app)
    assert await drain(sent) == 0
    (ticket,) = helpdesk.tickets.values()  # one ticket, found by its case id
    assert [c.body for c in ticket.comments] == ["More"]  # one comment, found by its marker
    assert helpdesk.calls.count("create_ticket") == helpdesk.calls.count("add_comment") == 1
    assert {i.state for i in _items(channel_app)} == {outbox.State.done}


async def test_a_refusal_fails_the_item_holds_its_case_and_an_operator_replays_it(
    channel_client: httpx.AsyncClient, channel_app: FastAPI, helpdesk: FakeHelpdesk
) -> None:
    alice, case_id = await _open_case(channel_client, channel_app)
    await push(channel_client, alice, mutation("case.reply", seq=2, case=case_id, body="More"))
    refuse = helpdesk.create_ticket

    async def refused(draft: object) -> str:
        raise ConnectorRefused("422 requester email is invalid")

    helpdesk.create_ticket = refused  # type: ignore[method-assign]
    sent = outbox_of(channel_app)
    assert await drain(sent) == 0
    first, second = _items(channel_app)
    assert first.state is outbox.State.failed and "422" in str(first.last_error)
    assert second.state is outbox.State.pending and second.attempts == 0  # held back
    helpdesk.create_ticket = refuse  # type: ignore[method-assign]
    with _db(channel_app).write() as conn:
        assert outbox.replay(conn, failed=True) == 1
    assert await drain(sent) == 2
    assert len(helpdesk.tickets) == 1


async def test_two_processes_reading_the_same_item_deliver_it_once(
    channel_client: httpx.AsyncClient, channel_app: FastAPI
) -> None:
    await _open_case(channel_client, channel_app)
    db = _db(channel_app)
    with db.read() as conn:
        (item,) = outbox.heads(conn, "fake")
    with db.write() as conn:
        assert outbox.claim(conn, item, timedelta(minutes=5))
    with db.write() as conn:
        assert not outbox.claim(conn, item, timedelta(minutes=5))
        leased = conn.execute(select(channel_outbox.c.next_attempt_at)).scalar_one()
    assert leased > format_time(now() + timedelta(minutes=4))


def test_the_backoff_doubles_with_jitter_and_honours_retry_after(channel_app: FastAPI) -> None:
    sent = outbox_of(channel_app)
    waits = [sent.backoff(attempt) for attempt in range(1, 8) for _ in range(20)]
    for attempt in range(1, 8):
        ceiling = min(sent.retry_cap, sent.retry_base * 2 ** (attempt - 1))
        got = waits[(attempt - 1) * 20 : attempt * 20]
        assert all(ceiling / 2 <= w <= ceiling for w in got), (attempt, got)
        assert len(set(got)) > 1  # jittered
    assert sent.backoff(1, retry_after=120) == 120
    assert sent.backoff(40) <= sent.retry_cap


async def test_the_hubs_background_loop_delivers_without_being_asked(
    channel_client: httpx.AsyncClient, channel_app: FastAPI, helpdesk: FakeHelpdesk
) -> None:
    served = outbox_of(channel_app)
    loop = ChannelOutbox(served.db, helpdesk, poll_seconds=0.02, reconcile_seconds=0)
    loop.start()
    try:
        await _open_case(channel_client, channel_app)
        for _ in range(500):  # until the loop has delivered (no time is asserted)
            if helpdesk.tickets and "changes" in helpdesk.calls:
                break
            await asyncio.sleep(0.02)
    finally:
        await loop.stop()
    assert len(helpdesk.tickets) == 1
    assert "changes" in helpdesk.calls  # it reconciled the linked ticket too
