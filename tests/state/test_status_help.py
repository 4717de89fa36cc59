"""Status and Help state: what the screens show, from the store, after syncs."""

from __future__ import annotations

from app.backend.crud import status
from app.schemas import ComponentState, Impact, Subscriptions
from app.schemas.alerting import affects
from app.state.help import HelpState
from app.state.runtime import DeviceRuntime
from app.state.status import StatusState
from app.state.sync import SyncState
from tests.sync.support import Rig


async def test_status_shows_cached_content_then_refreshes(rig: Rig, runtime: DeviceRuntime) -> None:
    state = StatusState(runtime)
    await state.load()
    assert state.loaded and state.groups == [] and state.last_updated is None
    with rig.db.write() as conn:
        status.publish_incident(
            conn,
            title="Storm at ORD",
            impact=Impact.critical,
            components_affected=["flights-ord"],
            body="Snow.",
        )
    await state.refresh()
    assert sorted(g.name for g in state.groups) == ["Airports", "Services"]
    [storm] = state.active
    assert storm.title == "Storm at ORD"
    assert state.disruptions.others == [storm] and not state.disruptions.all_clear
    states = {c.id: c.status for g in state.groups for c in g.components}
    assert states["flights-ord"] is ComponentState.major_outage
    assert state.last_updated is not None
    rig.transport.down = True
    await state.refresh()
    assert state.active == [storm], "offline: the cached status stays on screen"
    assert not state.refreshing
    assert await state.incident(storm.id) == storm


def test_banner_follows_subscriptions(rig: Rig) -> None:
    from datetime import UTC, datetime

    from app.schemas import Incident

    def incident(impact: Impact, components: list[str], keys: list[str]) -> Incident:
        now = datetime.now(UTC)
        return Incident(
            id="i",
            title="t",
            status="investigating",
            impact=impact,
            components=components,
            keys=keys,
            started_at=now,
            created_at=now,
            updated_at=now,
        )

    nobody = Subscriptions()
    ord_only = Subscriptions(keys=["ord"])
    assert affects(incident(Impact.minor, ["baggage"], []), nobody)
    assert not affects(incident(Impact.major, ["baggage"], ["DEN"]), ord_only)
    assert affects(incident(Impact.minor, [], ["ORD"]), ord_only)
    assert affects(incident(Impact.critical, [], ["DEN"]), ord_only)
    assert affects(
        incident(Impact.minor, ["flights-ord"], []), Subscriptions(components=["flights-ord"])
    )


async def test_help_search_article_and_vote(rig: Rig, runtime: DeviceRuntime) -> None:
    await runtime.engine.sync()
    help_ = HelpState(runtime)
    await help_.load()
    assert [c.id for c in help_.categories] == ["baggage"]
    await help_.search("lugage")
    assert [h.slug for h in help_.results] == ["lost-bag"]
    await help_.search("   ")
    assert help_.results == []
    await help_.open_category("baggage")
    assert {a.slug for a in help_.category_articles} == {"lost-bag", "bag-fees"}
    await help_.open_article("lost-bag")
    assert help_.article is not None and help_.article.title == "My bag did not arrive"
    assert [h.slug for h in help_.related] == ["bag-fees"]
    assert help_.vote is None
    rig.transport.down = True
    await help_.give_feedback(False, "  Too short ")
    assert (help_.vote, help_.vote_pending) == (False, True)
    [queued] = runtime.personal.outbox.pending()
    assert queued.args == {"article": "en:lost-bag", "helpful": False, "comment": "Too short"}
    rig.transport.down = False
    await help_.open_article("no-such-article")
    assert help_.article is None and help_.missing_slug == "no-such-article"


async def test_sync_state_mirrors_the_scheduler(rig: Rig, runtime: DeviceRuntime) -> None:
    mirror = SyncState()
    runtime.scheduler.listeners.add(mirror.update_from)
    rig.sign_in()
    runtime.personal.cases.open(subject="s", description="d", category="c")
    rig.transport.down = True
    await runtime.scheduler.sync_now()
    assert mirror.offline and mirror.pending == 1
    rig.transport.down = False
    await runtime.scheduler.sync_now()
    assert mirror.online and mirror.pending == 0 and mirror.last_synced is not None
