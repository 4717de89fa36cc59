"""An agent's reply signed by nobody is the support team's: the app names the team in the
customer's language (an older hub's English "Support" too); an agent's own name shows as
it is."""

from __future__ import annotations

from app.schemas import MessageAuthor
from app.store.records import MessageRecord
from app.views.case_screen import author_line


def reply(author_name: str | None) -> MessageRecord:
    return MessageRecord(
        id="msg_1",
        author=MessageAuthor.agent,
        author_name=author_name,
        body="We are on it.",
        created_at="2026-12-07T10:00:00Z",
        state="sent",
    )


def test_the_support_teams_reply_is_named_in_the_customers_language() -> None:
    for name in (None, "Support"):  # this hub, an older hub
        assert author_line("es", reply(name)) == "Soporte"
        assert author_line("fr", reply(name)) == "Assistance"
        assert author_line("en", reply(name)) == "Support"


def test_an_agents_own_name_shows_as_it_is() -> None:
    assert author_line("es", reply("Maya")) == "Maya"
    assert author_line("fr", reply("Support Team Lead")) == "Support Team Lead"
