"""The sync engine against a real hub app in process, with faults at the transport."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.api import Offline, ServerError, TimedOut
from app.backend.crud import auth, cases
from app.backend.crud.components import set_component_state
from app.backend.db.tables import cases as hub_cases
from app.backend.db.tables import tokens
from app.schemas import ComponentState
from tests.sync.support import Rig


def hub_case_count(rig: Rig) -> int:
    with rig.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(hub_cases)).scalar_one())


async def test_anonymous_first_sync_then_nothing_new_costs_one_request_per_feed(
    rig: Rig,
) -> None:
    report = await rig.engine.sync()
    assert report.status_changed
    assert [c.id for c in rig.public.content.components()] == ["baggage", "flights-ord"]
    assert rig.public.search.search("luggage")[0].slug == "lost-bag"
    rig.transport.requests.clear()
    again = await rig.engine.sync()
    assert not again.status_changed
    assert rig.transport.requests == [
        "GET /v1/status",
        "GET /v1/callbacks/queues",
        "GET /v1/kb/changes",
    ]
    assert [q.id for q in rig.public.content.queues()] == ["help"]
    assert not again.content_changed, "status and queues answered 304"


async def test_signed_in_sync_round_trip(rig: Rig) -> None:
    rig.sign_in()
    local_id = rig.personal.cases.open(
        subject="Lost bag", description="Blue suitcase", category="baggage"
    )
    rig.personal.cases.reply(local_id, "It has a red tag")
    report = await rig.engine.sync()
    assert (report.pushed, report.rejected) == (2, 0)
    view = rig.personal.cases.get(local_id)
    assert view is not None and view.server_id is not None
    assert [m.state for m in view.messages] == ["sent"]
    with rig.db.write() as conn:
        cases.agent_reply(conn, case_id=view.server_id, body="We found it", author_name="Maya")
        set_component_state(conn, component_id="flights-ord", status=ComponentState.major_outage)
    rig.transport.requests.clear()
    await rig.engine.sync()
    assert rig.transport.requests == ["GET /v1/status", "GET /v1/sync/pull"]
    view = rig.personal.cases.get(local_id)
    assert view is not None
    assert [m.body for m in view.messages] == ["It has a red tag", "We found it"]
    assert view.unread == 1
    assert view.status == "pending"
    states = {c.id: c.status for c in rig.public.content.components()}
    assert states["flights-ord"] is ComponentState.major_outage


@pytest.mark.parametrize("fault", ["drop_after", "timeout_after"])
async def test_lost_answer_then_retry_applies_exactly_once(rig: Rig, fault: str) -> None:
    rig.sign_in()
    rig.personal.cases.open(subject="Refund", description="Cancelled", category="refunds")
    rig.transport.plan = [fault]
    with pytest.raises(TimedOut if fault == "timeout_after" else Offline):
        await rig.engine.sync()
    assert hub_case_count(rig) == 1, "the hub committed before the answer was lost"
    assert rig.personal.outbox.counts()["pending"] == 1
    await rig.engine.sync()
    assert hub_case_count(rig) == 1
    assert rig.personal.outbox.counts() == {"pending": 0, "rejected": 0}
    [case] = rig.personal.cases.list()
    assert case.sync_state == "synced"


async def test_connection_refused_and_server_errors_keep_everything(rig: Rig) -> None:
    rig.sign_in()
    rig.personal.account.give_feedback("en:lost-bag", True)
    rig.transport.plan = ["drop_before"]
    with pytest.raises(Offline):
        await rig.engine.sync()
    rig.transport.plan = ["503"]
    with pytest.raises(ServerError) as unavailable:
        await rig.engine.sync()
    assert unavailable.value.retry_after == 7
    rig.transport.plan = ["500"]
    with pytest.raises(ServerError):
        await rig.engine.sync()
    assert rig.personal.outbox.counts()["pending"] == 1
    await rig.engine.sync()
    assert rig.personal.account.feedback("en:lost-bag") == (True, "synced")


async def test_rejection_is_surfaced_and_does_not_block_the_rest(rig: Rig) -> None:
    rig.sign_in()
    from app.schemas import CallbackMode

    bad = rig.personal.callbacks.request(
        queue_id="nowhere", mode=CallbackMode.asap, phone="+13125550123"
    )
    good = rig.personal.cases.open(subject="Seat", description="Wrong seat", category="seats")
    report = await rig.engine.sync()
    assert (report.pushed, report.rejected) == (1, 1)
    refused = rig.personal.callbacks.get(bad)
    assert refused is not None and refused.error is not None
    assert refused.error.code == "unknown_queue"
    assert rig.personal.cases.get(good).sync_state == "synced"  # type: ignore[union-attr]
    assert rig.personal.outbox.counts() == {"pending": 0, "rejected": 1}


async def test_expired_session_asks_to_sign_in_and_keeps_the_outbox(rig: Rig) -> None:
    customer_id = rig.sign_in()
    rig.personal.cases.open(subject="Later", description="Offline", category="general")
    with rig.db.write() as conn:
        for token_id in conn.execute(
            select(tokens.c.id).where(tokens.c.customer_id == customer_id)
        ).scalars():
            auth.revoke_token(conn, token_id=token_id)
    report = await rig.engine.sync()
    assert report.needs_sign_in
    assert rig.personal.account.needs_sign_in()
    assert rig.personal.outbox.counts()["pending"] == 1
    rig.sign_in()
    await rig.engine.sync()
    assert hub_case_count(rig) == 1


async def test_pull_reset_drops_and_refetches(rig: Rig) -> None:
    rig.sign_in()
    await rig.engine.sync()
    with rig.public.db.transaction() as conn:
        rig.public.feeds.save(conn, "kb", cursor="999999")
        conn.execute(
            "INSERT INTO articles (id, slug, locale, title, body, category, tags, "
            "updated_at) VALUES ('en:stale', 'stale', 'en', 'Stale', 'x', 'b', '', "
            "'now')"
        )
    with rig.personal.db.transaction() as conn:
        rig.personal.feeds.save(conn, "private", cursor="999999")
        conn.execute(
            "INSERT INTO cases (local_id, server_id, subject, status, updated_at, sync_state, "
            "data) VALUES ('gone', 'case_gone', 'Stale', 'new', 'now', 'synced', '{}')"
        )
    await rig.engine.sync()
    assert rig.public.content.article("stale", "en") is None
    assert rig.public.content.article("lost-bag", "en") is not None
    assert rig.personal.cases.get("gone") is None


async def test_a_failing_push_still_pulls_then_reports_the_failure(rig: Rig) -> None:
    rig.sign_in()
    rig.personal.account.give_feedback("en:lost-bag", True)
    with rig.db.write() as conn:
        set_component_state(conn, component_id="baggage", status=ComponentState.partial_outage)
    rig.transport.plan = ["500"]
    with pytest.raises(ServerError):
        await rig.engine.sync()
    states = {c.id: c.status for c in rig.public.content.components()}
    assert states["baggage"] is ComponentState.partial_outage, "pulled despite the push"
    assert rig.personal.outbox.counts()["pending"] == 1


async def test_a_request_too_large_is_narrowed_to_the_entry_at_fault(rig: Rig) -> None:
    rig.sign_in()
    small = rig.personal.cases.open(subject="Small", description="ok", category="general")
    large = rig.personal.cases.open(subject="Large", description="x" * 15_000, category="general")
    rig.personal.account.give_feedback("en:lost-bag", True)
    rig.transport.max_body = 10_000
    report = await rig.engine.sync()
    assert (report.pushed, report.rejected) == (2, 1)
    refused = rig.personal.cases.get(large)
    assert refused is not None and refused.sync_state == "rejected"
    assert refused.error is not None and "413" in refused.error.detail
    assert rig.personal.cases.get(small).sync_state == "synced"  # type: ignore[union-attr]
    assert rig.personal.account.feedback("en:lost-bag") == (True, "synced")
