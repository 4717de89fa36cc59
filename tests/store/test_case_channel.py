"""Where a case was opened goes with it to the device, so an emailed case's description is
marked "by email" like its later emailed messages; a case kept before the hub sent its
channel, and one drafted on the device, were opened in the app."""

from __future__ import annotations

from app.schemas import Change
from app.store import LocalStores, open_local
from app.views.case_screen import channel_line
from tests.case_factory import case


def pull(store: LocalStores, data: dict[str, object]) -> None:
    change = Change(entity="case", op="upsert", id="case_1", version=2, data=data)
    store.personal.applier.apply_changes([change], "1")


def test_an_emailed_case_is_marked_by_email_on_the_device() -> None:
    store = open_local(memory=True)
    try:
        pull(store, case([], complete=True, channel="email").model_dump(mode="json"))
        view = store.personal.cases.get("case_1")
        assert view is not None and view.channel == "email"
        assert channel_line("en", view.channel) == "by email"
    finally:
        store.close()


def test_a_case_sent_without_a_channel_and_a_draft_were_opened_in_the_app() -> None:
    store = open_local(memory=True)
    try:
        old = case([], complete=True).model_dump(mode="json")
        del old["channel"]
        pull(store, old)
        kept = store.personal.cases.get("case_1")
        assert kept is not None and kept.channel == "app"
        local_id = store.personal.cases.open(subject="Lost bag", description="Blue", category="b")
        draft = store.personal.cases.get(local_id)
        assert draft is not None and draft.channel == "app"
        assert channel_line("en", draft.channel) is None
    finally:
        store.close()
