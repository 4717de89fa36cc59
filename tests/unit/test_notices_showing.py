"""A window showing an incident, case or callback gives its live updates no banner: the
screen itself changes."""

from __future__ import annotations

from app.notify import Notice
from app.state.notices import NoticesState


def reply(case_id: str, n: int = 1) -> Notice:
    return Notice.make(key=f"message:{n}", title="#12 Hotel", body="Hi", route=f"/cases/{case_id}")


def test_a_notice_about_the_item_on_screen_gets_no_banner() -> None:
    notices = NoticesState()
    notices.show("/cases/c1")
    notices.add(reply("c1"))
    notices.add(reply("c2", 2))
    assert [n.route for n in notices.items] == ["/cases/c2"]


def test_opening_an_item_puts_its_earlier_notices_away() -> None:
    notices = NoticesState()
    notices.add(reply("c1"))
    notices.add(reply("c2", 2))
    notices.show("/cases/c1")
    assert [n.route for n in notices.items] == ["/cases/c2"]
    notices.show(None)  # left the screen: its next update gets a banner again
    notices.add(reply("c1", 3))
    assert [n.route for n in notices.items] == ["/cases/c1", "/cases/c2"]
