"""The customer's choice to get agents' replies on a case by email: shown at once on the
device, and queued for the hub as the `case.email_replies` mutation."""

from __future__ import annotations

from app.schemas import MutationName
from app.store import open_local


def test_the_choice_shows_at_once_and_goes_out_with_the_outbox() -> None:
    store = open_local(memory=True)
    try:
        local_id = store.personal.cases.open(subject="Lost bag", description="Blue", category="b")
        view = store.personal.cases.get(local_id)
        assert view is not None and view.email_replies is False
        store.personal.cases.set_email_replies(local_id, True)
        view = store.personal.cases.get(local_id)
        assert view is not None and view.email_replies is True
        last = store.personal.outbox.pending()[-1]
        assert last.name == MutationName.case_email_replies
        assert last.args == {"case": local_id, "on": True}
    finally:
        store.close()
