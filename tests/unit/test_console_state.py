"""The console's state without a page: what each hub fault becomes on screen (the faults
made with httpx.MockTransport), per-browser sign-ins, and the forms' wire requests."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest
from pydantic import ValidationError

from app.console.client import ConsoleClient
from app.console.sessions import BrowserSessions
from app.console.state.cases import InboxState
from app.console.state.console import ConsoleState
from app.console.state.status import Draft, StatusBoard
from app.schemas import IncidentKind
from app.schemas.customers import SIGN_IN_FAILED
from app.schemas.staff import StaffRole, StaffSession

STAFF = {
    "id": "stf_1",
    "email": "agent@northwind.example",
    "name": "Ana Agent",
    "role": "agent",
    "scopes": ["cases"],
    "created_at": "2026-12-01T00:00:00Z",
}


def problem(status: int, kind: str = "about:blank", detail: str = "no") -> httpx.Response:
    body = {"type": kind, "title": "Refused", "status": status, "detail": detail}
    return httpx.Response(status, json=body, headers={"content-type": "application/problem+json"})


def console_for(
    answer: Callable[[httpx.Request], httpx.Response], sessions: BrowserSessions | None = None
) -> ConsoleState:
    sessions = sessions or BrowserSessions()
    key = sessions.new_key()
    client = ConsoleClient("http://hub.test", transport=httpx.MockTransport(answer))
    return ConsoleState(client.for_token(lambda: sessions.token(key)), sessions, key)


def signed_in(console: ConsoleState, sessions: BrowserSessions) -> None:
    session = StaffSession.model_validate(
        {"token": "clo_x", "expires_at": "2026-12-08T00:00:00Z", "staff": STAFF}
    )
    sessions.keep(console.session._key, session)
    console.session.staff = session.staff


async def test_unreachable_hub_and_wrong_code_are_said_and_what_was_typed_stays() -> None:
    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    console = console_for(offline)
    await console.session.start("agent@northwind.example")
    assert console.session.error is not None and console.session.error.code == "offline"
    assert console.session.step == "email"

    def wrong(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/start"):
            return httpx.Response(202, json={"attempt": "a" * 24, "expires_in": 600})
        return problem(400, SIGN_IN_FAILED)

    console = console_for(wrong)
    await console.session.start(" agent@northwind.example ")
    await console.session.verify("12345678")
    assert console.session.error is not None and console.session.error.code == "wrong_code"
    assert (console.session.step, console.session.email) == ("code", "agent@northwind.example")
    assert console.session.staff is None


async def test_rate_limited_and_not_an_email() -> None:
    console = console_for(lambda _: problem(429))
    await console.session.start("agent@northwind.example")
    assert console.session.error is not None and console.session.error.code == "rate_limited"
    await console.session.start("not an email")
    assert console.session.error is not None and console.session.error.code == "bad_email"


async def test_a_revoked_token_ends_the_sign_in_with_a_notice() -> None:
    sessions = BrowserSessions()
    console = console_for(lambda _: problem(401), sessions)
    signed_in(console, sessions)
    inbox = console.screen(InboxState)
    await inbox.load()
    assert inbox.error is not None and inbox.error.code == "expired"
    assert console.session.staff is None and console.session.notice == "expired"
    assert sessions.token(console.session._key) is None


async def test_a_refusal_by_role_is_a_message() -> None:
    sessions = BrowserSessions()
    console = console_for(lambda _: problem(403, detail="needs scope status"), sessions)
    signed_in(console, sessions)
    board = console.screen(StatusBoard)
    board.draft = Draft(title="Storm", body="Snow")
    await board.publish()
    assert board.error is not None and board.error.code == "forbidden"
    assert board.draft.title == "Storm"  # kept for another try
    assert console.session.staff is not None  # still signed in


def test_each_browser_finds_only_its_own_token() -> None:
    sessions = BrowserSessions()
    first, second = sessions.new_key(), sessions.new_key()
    session = StaffSession.model_validate(
        {"token": "clo_first", "expires_at": "2026-12-08T00:00:00Z", "staff": STAFF}
    )
    sessions.keep(first, session)
    assert sessions.token(first) == "clo_first"
    assert sessions.token(second) is None
    assert first != second and len(first) >= 32


def test_spanish_goes_to_translations_and_maintenance_keeps_its_window() -> None:
    draft = Draft(
        title="Storm",
        body="Snow",
        title_es="Tormenta",
        body_es="Nieve",
        kind=IncidentKind.maintenance,
        keys="ORD, NW412\nDEN",
        starts="2026-12-08T02:00Z",
        ends="2026-12-08T04:00Z",
    )
    sent = json.loads(draft.incident_in().model_dump_json(exclude_none=True))
    assert sent["translations"] == {"es": {"title": "Tormenta", "body": "Nieve"}}
    assert sent["keys"] == ["ORD", "NW412", "DEN"]
    assert sent["scheduled_for"].startswith("2026-12-08T02:00")
    backwards = Draft(
        title="x", body="y", kind=IncidentKind.maintenance, starts=draft.ends, ends=draft.starts
    )
    with pytest.raises(ValidationError, match="before"):
        backwards.incident_in()


def test_the_inbox_asks_the_hub_for_mine_unassigned_and_waiting() -> None:
    sessions = BrowserSessions()
    console = console_for(lambda _: httpx.Response(500), sessions)
    signed_in(console, sessions)
    inbox = console.screen(InboxState)
    inbox.filters.update(assignee="mine", waiting="1")
    assert inbox.query()["assignee"] == "stf_1"
    assert inbox.query()["waiting"] == "true"
    inbox.filters.update(assignee="unassigned", waiting="")
    assert inbox.query()["assignee"] == "none"
    assert console.session.can("cases") and not console.session.can("status")
    assert console.session.staff is not None and console.session.staff.role is StaffRole.agent
