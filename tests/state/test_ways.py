"""Never lose the way or the words: where Back leads, drafts kept until sent, and a
customer's reply reopening a solved case (against the in-process hub)."""

from __future__ import annotations

from app.backend.crud import cases
from app.schemas import CaseStatus
from app.state.case_drafts import CaseDrafts, new_case_key, reply_key
from app.state.cases import CasesState
from app.state.navigation import NavigationHistory, parent_of
from app.state.runtime import DeviceRuntime
from tests.state.support import hub_case, synced_case
from tests.sync.support import Rig

INCIDENT = "/status/inc_storm"
ARTICLE = "/help/winter-weather-travel-waiver"


def visited(*routes: str) -> NavigationHistory:
    history = NavigationHistory()
    for route in routes:
        history.visit(route)
    return history


def test_back_from_an_article_opened_from_an_incident_returns_to_the_incident() -> None:
    history = visited("/status", INCIDENT, ARTICLE)
    assert history.back() == INCIDENT
    history.visit(history.back())
    assert history.trail == ["/status", INCIDENT]
    # Opened straight from a link, the incident goes back to Status, which it sits under.
    assert visited(INCIDENT).back() == "/status"


def test_the_browsers_back_and_forward_keep_the_trail() -> None:
    history = visited("/help", ARTICLE, "/help/baggage")
    history.visit(ARTICLE)  # the browser's Back
    assert history.trail == ["/help", ARTICLE]
    history.visit("/help/baggage")  # and Forward
    assert history.back() == ARTICLE


def test_a_destination_starts_a_new_trail_and_a_deep_link_goes_to_its_parent() -> None:
    history = visited(INCIDENT, ARTICLE, "/cases")
    assert history.trail == ["/cases"]
    deep = visited("/cases/new?incident=inc_storm")
    assert deep.back() == "/cases"
    assert visited().back() == "/"
    assert [parent_of(r) for r in ("/help/x?y=1", "/help/", "/callbacks/new")] == [
        "/help",
        "/help",
        "/callbacks",
    ]


def test_a_sent_form_is_replaced_by_what_it_made() -> None:
    history = visited(INCIDENT, "/cases/new?incident=inc_storm")
    history.replace_next()
    history.visit("/cases/case_local_1")
    assert history.trail == [INCIDENT, "/cases/case_local_1"]
    assert history.back() == INCIDENT
    history.visit("/cases/case_local_1/x")
    assert history.trail[-2:] == ["/cases/case_local_1", "/cases/case_local_1/x"], "once only"


def test_an_address_loaded_afresh_starts_a_new_trail() -> None:
    history = visited("/help", ARTICLE, "/cases/new")
    history.restart("/callbacks/new")
    history.visit("/callbacks/new")
    assert history.back() == "/callbacks"


def test_signing_in_on_the_way_leaves_no_trace() -> None:
    history = visited(INCIDENT, "/cases/new?incident=inc_storm")
    history.detour()
    history.visit("/account")
    history.visit("/cases/new?incident=inc_storm")
    assert history.trail == [INCIDENT, "/cases/new?incident=inc_storm"]
    # A detour given up (the customer went elsewhere) is forgotten.
    history.detour()
    history.visit("/account")
    history.visit("/help")
    history.visit("/cases/new?incident=inc_storm")
    assert history.trail == ["/help", "/cases/new?incident=inc_storm"]


def test_drafts_are_kept_per_form_and_per_case() -> None:
    drafts = CaseDrafts()
    assert new_case_key({}) == "new"
    about = new_case_key({"incident": "inc_1", "category": "rebooking"})
    assert about == new_case_key({"category": "rebooking", "incident": "inc_1"}) != "new"
    drafts.put("new", "subject", "Lost bag")
    drafts.put(about, "subject", "Stuck at ORD")
    drafts.put(reply_key("c1"), "body", "Any news?")
    assert drafts.get("new") == {"subject": "Lost bag"}
    assert drafts.field(about, "subject") == "Stuck at ORD"
    assert drafts.field(about, "description", "none") == "none"
    drafts.clear("new")
    assert drafts.get("new") == {} and drafts.field(reply_key("c1"), "body") == "Any news?"
    drafts.for_customer("cus_a")
    assert drafts.get(about) == {}, "what was typed signed out is not handed to a customer"
    drafts.put(about, "subject", "Mine")
    drafts.for_customer("cus_a")
    assert drafts.field(about, "subject") == "Mine"
    drafts.for_customer("cus_b")
    assert drafts.get(about) == {}


async def test_the_form_keeps_its_draft_and_files_until_the_case_is_sent(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    rig.sign_in()
    state = CasesState(runtime)
    await state.load()
    state.start_case("new")
    state.drafts.put("new", "subject", "Hotel after cancelled flight")
    state.add_files([("notes.txt", b"receipt 42")])
    # The customer reads a suggested article, then comes back to the form.
    state.start_case("new")
    assert state.drafts.field("new", "subject") == "Hotel after cancelled flight"
    assert [f.filename for f in state.files] == ["notes.txt"]
    # Another form (about an incident) has its own draft and files.
    state.start_case("new?incident=inc_1")
    assert state.files == [] and state.drafts.get("new?incident=inc_1") == {}
    state.start_case("new")
    sent = await state.submit(
        subject="Hotel after cancelled flight", description="Refund?", category=None, draft="new"
    )
    assert sent is not None and state.drafts.get("new") == {}
    state.start_case("new")
    assert state.files == []


async def test_a_reply_to_a_solved_case_reopens_it_and_is_no_longer_a_draft(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    state, local_id, _ = await synced_case(rig, runtime)
    server_id = state.cases[0].server_id
    assert server_id is not None
    with rig.db.write() as conn:
        cases.agent_reply(conn, case_id=server_id, body="Refunded.", status=CaseStatus.solved)
    await runtime.engine.sync()
    await state.open_case(local_id)
    assert state.current is not None and state.current.status == "solved"
    state.drafts.put(reply_key(local_id), "body", "It has not arrived")
    assert await state.reply("It has not arrived")
    assert state.drafts.get(reply_key(local_id)) == {}
    # Shown reopened at once, before the hub has heard of it; then the hub agrees.
    assert state.current.status == "open"
    await runtime.engine.sync()
    assert hub_case(rig, server_id).status is CaseStatus.open
    await state.load()
    assert state.current.status == "open"


async def test_closing_asks_first(rig: Rig, runtime: DeviceRuntime) -> None:
    state, local_id, _ = await synced_case(rig, runtime)
    await state.open_case(local_id)
    state.ask_close()
    assert state.confirm_close and state.current is not None
    assert state.current.status == "new", "asking closes nothing"
    state.ask_close(False)
    assert not state.confirm_close
    state.ask_close()
    assert await state.close_case()
    assert not state.confirm_close and state.current.status == "closed"
