"""A message written by email is marked so in the case thread, in the customer's
language; one written in the app carries no mark."""

from __future__ import annotations

from app.schemas import MessageAuthor
from app.store.records import MessageRecord
from app.views.case_screen import channel_line


def message(channel: str) -> MessageRecord:
    return MessageRecord(
        id="msg_1",
        author=MessageAuthor.customer,
        author_name=None,
        body="My bag did not arrive.",
        created_at="2026-12-07T10:00:00Z",
        state="sent",
        channel=channel,
    )


def test_an_emailed_message_is_marked_by_email() -> None:
    assert channel_line("en", message("email").channel) == "by email"
    assert channel_line("es", message("email").channel) == "por correo electrónico"
    assert channel_line("fr", message("email").channel) == "par e-mail"


def test_a_message_written_in_the_app_has_no_mark() -> None:
    assert channel_line("en", message("app").channel) is None
    assert MessageRecord.__dataclass_fields__["channel"].default == "app"
