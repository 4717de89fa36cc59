"""A role is checked by the hub, not only by the console: an agent's console shows no way
to publish an incident, and the hub refuses the agent's token when it is tried anyway,
which the console's own state shows as a message."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from playwright.sync_api import Browser, expect

from app.console.client import ConsoleClient
from app.console.sessions import BrowserSessions
from app.console.state.console import ConsoleState
from app.console.state.status import Draft, StatusBoard
from app.schemas.staff import StaffSession
from tests.e2e.console_support import AGENT, console_running, staff_sign_in
from tests.e2e.settling import settled_click
from tests.e2e.support import with_semantics
from tests.hub_process import RealHub


def agent_session(hub: RealHub) -> StaffSession:
    started = httpx.post(f"{hub.url}/v1/admin/auth/start", json={"email": AGENT})
    attempt = started.json()["attempt"]
    code = hub.newest_code(AGENT)
    verified = httpx.post(
        f"{hub.url}/v1/admin/auth/verify", json={"email": AGENT, "attempt": attempt, "code": code}
    )
    return StaffSession.model_validate_json(verified.content)


async def publish_through_the_console(hub: RealHub, session: StaffSession) -> StatusBoard:
    sessions = BrowserSessions()
    key = sessions.new_key()
    sessions.keep(key, session)
    client = ConsoleClient(hub.url)
    console = ConsoleState(client.for_token(lambda: sessions.token(key)), sessions, key)
    console.session.staff = session.staff
    board = console.screen(StatusBoard)
    board.draft = Draft(title="Not mine to publish", body="An agent tries.")
    await board.publish()
    await client.aclose()
    return board


def test_an_agent_cannot_publish_and_the_hub_refuses_it_too(
    chromium: Browser, hub: RealHub, tmp_path: Path
) -> None:
    with console_running(hub, tmp_path) as console:
        page = staff_sign_in(chromium, console, AGENT)
        expect(page.get_by_role("button", name=re.compile("^Cases Tab"))).to_be_visible()
        expect(page.get_by_role("button", name=re.compile("^Status Tab"))).to_have_count(0)
        page.goto(f"{console.url}/status")  # typed in: the screen, without its buttons
        with_semantics(page)
        expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=30_000)
        expect(page.get_by_role("button", name="New incident")).to_have_count(0)
        # The console in Spanish, from its menu.
        settled_click(page, page.get_by_role("button", name=re.compile("^Language")))
        settled_click(page, page.get_by_text("Español").last)
        expect(page.get_by_role("button", name="Salir")).to_be_visible()
        # Its icon-only buttons and menus are named in Spanish too.
        expect(page.get_by_role("button", name="Actualizar", exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Idioma", exact=True)).to_be_visible()

    session = agent_session(hub)
    direct = httpx.post(
        f"{hub.url}/v1/admin/incidents",
        json={"title": "Not mine", "impact": "minor", "body": "An agent tries."},
        headers={"Authorization": f"Bearer {session.token}"},
    )
    assert direct.status_code == 403, direct.text
    # Playwright's sync API holds this thread's event loop: the console's state runs in
    # another thread.
    with ThreadPoolExecutor(1) as pool:
        board = pool.submit(asyncio.run, publish_through_the_console(hub, session)).result()
    assert board.error is not None and board.error.code == "forbidden"
    assert board.draft.title == "Not mine to publish"
