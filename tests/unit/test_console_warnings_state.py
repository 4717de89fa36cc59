"""The Early warnings screen's state against a real hub (in process, on SQLite and
PostgreSQL): posts sent to the hub's webhook open warnings; open ones come first and are
counted for the rail; Acknowledge, Dismiss (asked first, Cancel keeps it); Publish
incident fills the New incident form, which publishes the usual way and then acknowledges
the warning; the hub's refusals are shown with its reason. Hostile post text is made one
short plain line by the screen's one rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from app.backend.crud import auth
from app.backend.db import Database
from app.backend.early_warning import store
from app.console.client import ConsoleClient
from app.console.sessions import BrowserSessions
from app.console.state.console import ConsoleState
from app.console.state.status import StatusBoard
from app.console.state.warnings import SHOWN_CHARS, WarningsState, shown
from app.console.views.shell import badge_text, badged, visible
from app.schemas.staff import StaffMember, StaffRole
from app.schemas.warnings import WarningState
from tests.support import bearer, seed_company
from tests.unit.console_support import staff_member

START = datetime(2015, 2, 17, tzinfo=UTC)
HOSTILE = "\x1b[2J<img src=x onerror=alert(1)>**bold** [link](http://x)\u202e\n\r\t"


def post(post_id: str, minutes: float, text: str) -> dict[str, Any]:
    moment = START + timedelta(minutes=minutes)
    return {"id": post_id, "created_at": moment.isoformat(), "text": text}


def burst(key: str, word: str, at: int, text: str = "") -> list[dict[str, Any]]:
    """Six calm hours of one post each ten minutes, then fifteen in seven minutes."""
    calm = [post(f"{key}-c{i}", at - 360 + 10 * i + 5, f"{word} calm") for i in range(36)]
    storm = [post(f"{key}-s{i}", at + i / 2, f"{text}{word} stuck") for i in range(15)]
    return calm + storm


def member(role: StaffRole) -> StaffMember:
    return staff_member("stf_1", "Sam", role, START)


def console_for(hub_app: Any, token: str, role: StaffRole) -> ConsoleState:
    client = ConsoleClient("http://hub.test", transport=httpx.ASGITransport(app=hub_app))
    console = ConsoleState(client.for_token(lambda: token), BrowserSessions(), "k")
    console.session.staff = member(role)
    return console


def token(db: Database, *scopes: str) -> str:
    with db.write() as conn:
        return auth.create_operator_token(conn, scopes=list(scopes), label="desk")


@pytest.fixture
async def desk(hub_app: Any, db: Database, client: httpx.AsyncClient) -> ConsoleState:
    """A status manager's console on a hub with two warnings: ORD (a subscription key),
    then baggage (a component), whose posts carry hostile text."""
    seed_company(db)
    with db.write() as conn:
        store.watch(conn, "ORD", ["O'Hare"])
        store.watch(conn, "baggage", ["luggage"])
    feed = bearer(token(db, "social"))
    for posts in (burst("ORD", "ORD", 600), burst("baggage", "luggage", 900, HOSTILE)):
        sent = await client.post("/v1/admin/social/posts", json={"posts": posts}, headers=feed)
        assert sent.json()["warnings_opened"] == 1, sent.text
    return console_for(hub_app, token(db, "status"), StaffRole.status_manager)


async def test_open_warnings_first_acknowledge_and_dismiss_asked_first(
    desk: ConsoleState,
) -> None:
    warnings = desk.screen(WarningsState)
    await warnings.count()
    assert warnings.badge == 2 and badge_text(warnings.badge) == "2"
    await warnings.load()
    assert [w.key for w in warnings.open()] == ["baggage", "ORD"]  # newest detected first
    baggage, ord_ = warnings.open()
    await warnings.acknowledge(ord_)
    assert warnings.error is None and warnings.done is not None
    assert (warnings.done.what, warnings.badge) == ("acknowledged", 1)
    assert [(w.key, w.state) for w in warnings.warnings] == [
        ("baggage", WarningState.new),
        ("ORD", WarningState.acknowledged),
    ]
    warnings.ask_dismiss(baggage)
    assert warnings.asking == baggage.id
    warnings.cancel()
    assert warnings.asking is None and len(warnings.open()) == 1
    warnings.ask_dismiss(baggage)
    await warnings.confirm_dismiss()
    assert warnings.open() == [] and warnings.badge == 0 and badge_text(0) is None
    assert {w.state for w in warnings.handled()} == {
        WarningState.acknowledged,
        WarningState.dismissed,
    }


async def test_publish_fills_the_form_which_publishes_the_usual_way(desk: ConsoleState) -> None:
    warnings, board = desk.screen(WarningsState), desk.screen(StatusBoard)
    await warnings.load()
    baggage, ord_ = warnings.open()
    await warnings.prefill(ord_)
    assert board.composing and board.draft.key_list() == ["ORD"]
    assert board.draft.components == set()
    assert board.draft.title == "Reports of disruption: ORD"
    assert board.draft.title_es == "Avisos de incidencias: ORD"
    assert "since" in board.draft.body and "desde" in board.draft.body_es
    await warnings.prefill(baggage)  # a component's warning names the component
    assert board.draft.components == {"baggage"} and board.draft.keys == ""
    assert board.draft.title == "Reports of disruption: Baggage"
    board.typed("title", "")  # refused: the rest of the form and the warning are kept
    await board.publish()
    assert board.error is not None and board.error.code == "invalid"
    assert board.draft.components == {"baggage"} and board.after_publish is not None
    board.typed("title", "Bags delayed at every airport")
    await board.publish()
    assert board.error is None and board.published == "Bags delayed at every airport"
    assert "Bags delayed at every airport" in [i.title for i in board.incidents()]
    assert board.after_publish is None
    await warnings.load()
    assert [(w.key, w.state) for w in warnings.warnings] == [
        ("ORD", WarningState.new),
        ("baggage", WarningState.published),
    ]
    linked = next(i for i in board.incidents() if i.title == "Bags delayed at every airport")
    assert warnings.warnings[1].incident_id == linked.id
    # Cancelling a prefilled form leaves the warning as it was.
    await warnings.prefill(ord_)
    board.close_form()
    assert not board.composing and board.after_publish is None


async def test_the_hubs_refusals_are_shown_with_its_reason(
    desk: ConsoleState, hub_app: Any, db: Database, client: httpx.AsyncClient
) -> None:
    warnings = desk.screen(WarningsState)
    await warnings.load()
    listed = list(warnings.warnings)
    first = listed[0]
    # Published meanwhile from the CLI or another browser: the hub says by which incident.
    url = f"/v1/admin/social/warnings/{first.id}"
    other = bearer(token(db, "status"))
    assert (await client.post(url, json={"state": "published"}, headers=other)).status_code == 200
    warnings.ask_dismiss(first)
    await warnings.confirm_dismiss()
    assert warnings.error is not None and warnings.error.code == "invalid"
    assert warnings.error.detail.startswith("Incident ")
    assert warnings.warnings == listed and warnings.done is None  # nothing lost
    await warnings.load()
    assert warnings.error is None and warnings.badge == 1
    # A token without the status scope is refused, and the screen says so.
    agent = console_for(hub_app, token(db, "cases"), StaffRole.agent)
    refused = agent.screen(WarningsState)
    await refused.load()
    assert refused.error is not None and refused.error.code == "forbidden"
    await refused.count()  # the badge stays quiet
    assert refused.badge is None


async def test_only_roles_with_the_status_scope_see_it_in_the_rail(
    desk: ConsoleState, hub_app: Any, db: Database
) -> None:
    assert "/warnings" in [route for route, _, _ in visible(desk)]
    assert list(badged(desk)) == ["/warnings"]
    agent = console_for(hub_app, token(db, "cases"), StaffRole.agent)
    assert "/warnings" not in [route for route, _, _ in visible(agent)]
    assert badged(agent) == {}


async def test_hostile_post_text_is_one_short_plain_line(desk: ConsoleState) -> None:
    for text in (HOSTILE, HOSTILE * 1000 + "x" * 1_000_000, "\u2066" * 50 + "ok", ""):
        line = shown(text)
        assert len(line) <= SHOWN_CHARS
        assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in line)
        assert not any(c in line for c in "\u202e\u2066\u200b")
    assert shown(HOSTILE) == "[2J<img src=x onerror=alert(1)>**bold** [link](http://x)"
    warnings = desk.screen(WarningsState)
    await warnings.load()
    baggage = warnings.open()[0]
    assert baggage.samples
    for sample in baggage.samples:
        line = shown(sample.text)
        assert line.startswith("[2J<img src=x onerror=alert(1)>") and len(line) <= SHOWN_CHARS
    assert badge_text(150) == "99+"
