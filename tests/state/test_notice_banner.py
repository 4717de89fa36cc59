"""The latest live update's banner shows on the screen where it arrived; once seen there
(the customer moved on), dismissed or opened, it does not follow them to other screens
until a newer update arrives."""

from __future__ import annotations

from app.notify import Notice
from app.state.cases import CasesState
from app.state.notices import NoticesState
from app.state.runtime import DeviceRuntime
from tests.sync.support import Rig


def update(n: int, route: str = "/status/storm") -> Notice:
    return Notice.make(key=f"incident:storm:{n}", title="Ground stop", body="…", route=route)


def on_screen(notices: NoticesState, route: str) -> Notice | None:
    """What the screen at `route` shows: asked while rendering, then recorded as visited."""
    shown = notices.banner_for(route)
    notices.visit(route)
    return shown


def test_a_seen_update_does_not_follow_to_other_screens() -> None:
    notices = NoticesState()
    notices.visit("/status")
    notices.add(update(1))
    assert on_screen(notices, "/status") == update(1)
    assert on_screen(notices, "/help") is None
    assert on_screen(notices, "/cases") is None
    assert on_screen(notices, "/status") is None, "not even back where it was seen"
    assert notices.unseen == {"/status": 1}, "the badge still counts it"
    notices.add(update(2))
    assert on_screen(notices, "/status") == update(2), "a newer update shows again"
    assert on_screen(notices, "/account") is None


def test_an_update_arriving_before_any_screen_shows_on_the_first() -> None:
    notices = NoticesState()
    notices.add(update(1))
    assert on_screen(notices, "/help") == update(1)
    assert on_screen(notices, "/help/baggage") is None


def test_a_dismissed_update_leaves_no_older_one_behind() -> None:
    notices = NoticesState()
    notices.visit("/help")
    notices.add(update(1))
    notices.add(update(2, "/cases/c1"))
    notices.dismiss("incident:other:9")
    assert notices.banner == update(2, "/cases/c1"), "dismissing another key changes nothing"
    notices.dismiss(update(2, "/cases/c1").key)
    assert on_screen(notices, "/help") is None, "the older update does not take its place"
    notices.add(update(3))
    assert on_screen(notices, "/help") == update(3)


def test_opening_the_item_counts_as_seen() -> None:
    notices = NoticesState()
    notices.visit("/status")
    notices.add(update(1, "/cases/c1"))
    notices.add(update(2, "/cases/c2"))
    notices.visit("/cases/c2")
    notices.show("/cases/c2")
    notices.show(None)
    assert on_screen(notices, "/cases") is None, "the earlier update does not surface"


async def test_a_case_opened_in_this_window_gives_its_replies_no_banner(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    """The customer sends a case and stays on its screen: the hub's id (which the reply's
    update names) arrives after the screen opened, and still the reply gets no banner."""
    rig.sign_in()
    notices, cases = NoticesState(), CasesState(runtime)
    local_id = await cases.submit(subject="Stroller", description="Left at B4", category=None)
    assert local_id is not None
    await cases.open_case(local_id)
    notices.visit(f"/cases/{local_id}")
    notices.show(cases)  # what the case screen tells the window it shows
    assert cases.current is not None and cases.current.server_id is None
    await runtime.engine.sync()
    await cases.load()
    assert cases.current is not None and cases.current.server_id is not None
    server_route = f"/cases/{cases.current.server_id}"  # as the hub's reply event names it
    answer = Notice.make(key="message:1", title="Stroller", body="At desk 3", route=server_route)
    notices.add(answer)
    assert notices.banner_for(f"/cases/{local_id}") is None and notices.items == []
    notices.show(None)  # left the screen: the case's next update gets a banner
    notices.add(answer)
    assert notices.items == [answer]
