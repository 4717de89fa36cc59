"""The latest live update's banner shows on the screen where it arrived; once seen there
(the customer moved on), dismissed or opened, it does not follow them to other screens
until a newer update arrives."""

from __future__ import annotations

from app.notify import Notice
from app.state.notices import NoticesState


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
