"""Two small promises of help: a "No" on an article leads to a case about that article,
filled in with the article and what the customer said (sent even when offline, queued as
always); and help says how fresh it is (the help centre's last sync)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import cast
from urllib.parse import parse_qsl, urlsplit

from app.state.case_drafts import new_case_key
from app.state.cases import GENERAL, CasesState
from app.state.help import ArticleCase, HelpState
from app.state.runtime import DeviceRuntime
from app.state.window import UiState, WindowState
from app.views.freshness import help_synced
from app.views.new_case_screen import article_start
from tests.state.support import hub_case
from tests.sync.support import Rig

# Where the article screen's button leads (its own draft, apart from the plain form's).
ADDRESS = "/cases/new?article=lost-bag"


def form_start(help_: HelpState, cases: CasesState, locale: str = "en") -> dict[str, str]:
    """What the new-case form opened at ADDRESS starts with."""
    window = cast(WindowState, SimpleNamespace(help=help_, cases=cases))
    query = dict(parse_qsl(urlsplit(ADDRESS).query))
    return article_start(window, UiState(400, locale), query.get("article"))


async def test_a_no_with_a_comment_leads_to_a_case_about_the_article(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    rig.sign_in()
    await runtime.engine.sync()
    help_, cases = HelpState(runtime), CasesState(runtime)
    await cases.load()
    await help_.open_article("lost-bag")
    assert help_.article is not None
    title = help_.article.title
    assert form_start(help_, cases) == {}, "nothing asked about yet"
    await help_.give_feedback(False, "Which desk at ORD?")
    assert help_.ask_about_article("  Which desk at ORD?\n") == ArticleCase(
        "lost-bag", title, "baggage", "Which desk at ORD?"
    )
    start = form_start(help_, cases)
    assert start == {
        "subject": f"About: {title}",
        "category": "baggage",
        "description": f"Which desk at ORD?\n\nHelp article: {title} (/help/lost-bag)",
    }
    assert form_start(help_, cases, "es")["subject"] == f"Sobre: {title}"
    assert new_case_key({"article": "lost-bag"}) != new_case_key({}), "a draft of its own"

    rig.transport.down = True  # sent offline: kept on the device and queued
    draft = new_case_key({"article": "lost-bag"})
    local_id = await cases.submit(**start, draft=draft)
    assert local_id is not None and len(runtime.personal.outbox.pending()) == 1
    rig.transport.down = False
    await runtime.engine.sync()
    await cases.load()
    [case] = cases.cases
    assert case.server_id is not None
    sent = hub_case(rig, case.server_id)
    assert (sent.subject, sent.category) == (f"About: {title}", "baggage")
    assert "/help/lost-bag" in sent.description and "Which desk at ORD?" in sent.description


async def test_a_case_about_an_article_without_a_comment_or_a_known_topic(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    await runtime.engine.sync()
    help_, cases = HelpState(runtime), CasesState(runtime)
    await cases.load()
    await help_.open_article("lost-bag")
    help_.ask_about_article(None)
    assert form_start(help_, cases)["description"].startswith("Help article: ")
    about = ArticleCase("x", "X" * 300, "no-such-topic", "")
    start = cases.article_case(about, subject="About: " + about.title, reference="r")
    assert (start["category"], start["description"], len(start["subject"])) == (GENERAL, "r", 200)


async def test_help_knows_when_it_was_last_synced(rig: Rig, runtime: DeviceRuntime) -> None:
    help_ = HelpState(runtime)
    await help_.read_synced()
    assert help_.synced_at is None
    now = datetime.now(UTC)
    assert help_synced("en", None, False, now, UTC) == "Help not synced yet"
    assert help_synced("es", None, True, now, UTC) == "Sin conexión — aún no hay ayuda sincronizada"
    await runtime.engine.sync()
    await help_.read_synced()
    assert help_.synced_at is not None
    later = datetime.fromisoformat(help_.synced_at) + timedelta(minutes=5)
    assert help_synced("en", help_.synced_at, False, later, UTC) == "Help synced 5 minutes ago"
    assert (
        help_synced("es", help_.synced_at, False, later, UTC) == "Ayuda sincronizada hace 5 minutos"
    )
    assert help_synced("en", help_.synced_at, True, later, UTC).startswith("Offline — help as of ")
