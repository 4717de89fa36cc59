"""The supervisor screens' state without a browser: the staffing editor's parsing and its
saves (a refused save keeps what was typed and says why), knowledge ordering and the
article draft, and chart series turned into bars. The hub is an httpx mock transport
answering the operator routes the way the contract in app/schemas/console.py says."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from app.console.client import ConsoleClient
from app.console.sessions import BrowserSessions
from app.console.state.board import (
    BoardState,
    hours_text,
    local_span,
    other_zone,
    parse_agents,
    parse_hours,
)
from app.console.state.charts import bars
from app.console.state.console import ConsoleState
from app.console.state.knowledge import ArticleDraft, KnowledgeState, slugify, worst_first
from app.schemas.console import ArticleHelpfulness, ChartSeries, HourPoint
from app.schemas.staff import ROLE_SCOPES, StaffMember, StaffRole, StaffSession

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)


def slot(hour: int, capacity: int, booked: int) -> dict[str, Any]:
    start = NOW.replace(hour=hour)
    end = start + timedelta(hours=1)
    return {
        "starts_at": start.isoformat(),
        "ends_at": end.isoformat(),
        "capacity": capacity,
        "booked": booked,
    }


BOARD = {
    "day": "2026-12-07",
    "time_zone": "Europe/Madrid",
    "queues": [
        {
            "queue_id": "general",
            "name": "General",
            "time_zone": "Europe/Madrid",
            "slots": [slot(9, 4, 1), slot(10, 4, 4)],
            "waiting": [],
            "outcomes": {"completed": 2},
        },
        {
            "queue_id": "boston",
            "name": "Boston",
            "time_zone": "America/New_York",
            "slots": [slot(14, 2, 0)],
            "waiting": [],
            "outcomes": {},
        },
    ],
}


class FakeHub:
    """The operator routes the supervisor's screens call, with what was sent kept."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, Any]] = []
        self.refuse: str | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        self.sent.append((request.method, request.url.path, body))
        path = request.url.path
        if request.method == "PUT" and self.refuse:
            problem = {
                "type": "about:blank",
                "title": "Invalid",
                "status": 422,
                "detail": self.refuse,
            }
            return httpx.Response(
                422, json=problem, headers={"content-type": "application/problem+json"}
            )
        if path == "/v1/admin/callbacks/board":
            return httpx.Response(200, json=BOARD)
        if path.endswith("/staffing") and request.method == "GET":
            return httpx.Response(
                200,
                json=[
                    {
                        "starts_at": NOW.isoformat(),
                        "ends_at": (NOW + timedelta(hours=1)).isoformat(),
                        "agents": 2,
                    }
                ],
            )
        if path.endswith("/hours") and request.method == "GET":
            return httpx.Response(200, json={"hours": {"mon": [["08:00", "18:00"]]}})
        if request.method == "PUT":
            return httpx.Response(204)
        return httpx.Response(404, json={"title": "Not found", "status": 404})


def console(hub: FakeHub) -> ConsoleState:
    sessions = BrowserSessions()
    role = StaffRole.supervisor
    staff = StaffMember(
        id="s1",
        email="sup@example.com",
        name="Sup",
        role=role,
        scopes=sorted(ROLE_SCOPES[role]),
        created_at=NOW,
    )
    sessions.keep("k", StaffSession(token="t", expires_at=NOW + timedelta(days=1), staff=staff))
    client = ConsoleClient("http://hub", transport=httpx.MockTransport(hub))
    return ConsoleState(client.for_token(lambda: sessions.token("k")), sessions, "k")


def test_hours_are_typed_as_ranges_per_weekday() -> None:
    assert hours_text([["08:00", "12:00"], ["13:00", "18:00"]]) == "08:00-12:00, 13:00-18:00"
    parsed, wrong = parse_hours({"mon": "08:00-12:00, 13:00 - 18:00", "sun": ""})
    assert wrong == []
    assert parsed is not None
    assert parsed.hours["mon"] == [["08:00", "12:00"], ["13:00", "18:00"]]
    assert parsed.hours["sun"] == []
    assert parse_hours({"tue": "8-12", "wed": "09:00-25:00"}) == (None, ["tue", "wed"])


def test_agents_are_whole_numbers_and_spans_local_times() -> None:
    assert [parse_agents(t) for t in ("3", " 0 ", "-1", "two", "20000")] == [3, 0, None, None, None]
    madrid = ZoneInfo("Europe/Madrid")
    assert local_span(NOW.date(), madrid, "09:00", "24:00") == (
        datetime(2026, 12, 7, 8, tzinfo=UTC),
        datetime(2026, 12, 7, 23, tzinfo=UTC),
    )
    assert local_span(NOW.date(), madrid, "13:00", "09:00") is None
    assert local_span(NOW.date(), madrid, "9", "10:00") is None


def test_a_queue_zone_is_named_only_when_it_is_not_the_companys() -> None:
    madrid, new_york = ZoneInfo("Europe/Madrid"), ZoneInfo("America/New_York")
    assert other_zone(madrid, madrid) is None
    assert other_zone(new_york, madrid) == "America/New_York"


async def test_each_queue_shows_and_takes_its_times_in_its_own_zone() -> None:
    hub = FakeHub()
    board = BoardState(console(hub))
    await board.load()
    assert board.local(NOW) == "10:00" and board.other_zone() is None  # Madrid's queue
    await board.choose("boston")
    assert board.company_zone.key == "Europe/Madrid"
    assert board.local(NOW.replace(hour=14)) == "09:00"  # 14:00 UTC in Boston
    assert board.other_zone() == "America/New_York"
    # A new interval is typed in the queue's own hours too.
    board.type_new(start="09:00", end="10:00", agents="3")
    await board.add_interval()
    assert [s[2] for s in hub.sent if s[0] == "PUT"] == [
        {
            "starts_at": "2026-12-07T14:00:00.000000Z",
            "ends_at": "2026-12-07T15:00:00.000000Z",
            "agents": 3,
        }
    ]


async def test_staffing_rows_come_from_the_slots_and_only_changes_are_saved() -> None:
    hub = FakeHub()
    board = BoardState(console(hub))
    await board.load()
    assert board.queue_id == "general"
    assert [(r.agents, r.saved) for r in board.rows] == [("2", 2)]
    assert board.hours["mon"] == "08:00-18:00"
    assert board.local(board.rows[0].starts_at) == "10:00"  # Madrid
    board.type_agents(0, "3")
    await board.save_staffing()
    board.type_new(start="12:00", end="13:30", agents="5")
    await board.add_interval()
    puts = [s for s in hub.sent if s[0] == "PUT"]
    assert puts == [
        (
            "PUT",
            "/v1/admin/queues/general/staffing",
            {
                "starts_at": "2026-12-07T09:00:00.000000Z",
                "ends_at": "2026-12-07T10:00:00.000000Z",
                "agents": 3,
            },
        ),
        (
            "PUT",
            "/v1/admin/queues/general/staffing",
            {
                "starts_at": "2026-12-07T11:00:00.000000Z",
                "ends_at": "2026-12-07T12:30:00.000000Z",
                "agents": 5,
            },
        ),
    ]
    assert board.saved
    assert board.error is None
    assert board.new_interval.start == ""


async def test_a_refused_save_keeps_the_input_and_says_the_hubs_reason() -> None:
    hub = FakeHub()
    board = BoardState(console(hub))
    await board.load()
    board.type_agents(0, "7")
    hub.refuse = "staffing needs start < end and agents >= 0"
    await board.save_staffing()
    assert board.rows[0].agents == "7"
    assert not board.saved
    board.type_new(start="12:00", end="13:00", agents="4")
    await board.add_interval()
    assert board.new_interval.agents == "4"
    assert board.error is not None
    assert "agents >= 0" in board.error.detail
    board.type_hours("tue", "nine to five")
    await board.save_hours()
    assert board.wrong_hours == ["tue"]
    assert board.hours["tue"] == "nine to five"


def test_knowledge_lists_the_worst_articles_first() -> None:
    def row(slug: str, yes: int, no: int) -> ArticleHelpfulness:
        return ArticleHelpfulness(
            slug=slug, locale="en", title=slug, helpful=yes, unhelpful=no, comments=[]
        )

    ordered = worst_first(
        [
            row("good", 9, 1),
            row("none", 0, 0),
            row("bad", 1, 3),
            row("worse", 0, 5),
            row("bad2", 1, 4),
        ]
    )
    assert [r.slug for r in ordered] == ["worse", "bad2", "bad", "good", "none"]


async def test_an_article_draft_is_checked_before_it_is_sent() -> None:
    assert slugify("Où est mon vol ? Refunds & delays") == "ou-est-mon-vol-refunds-delays"
    wire = ArticleDraft(title="T", body="B", category="c", tags="a, b,,").wire()
    assert wire.tags == ["a", "b"]
    hub = FakeHub()
    knowledge = KnowledgeState(console(hub))
    knowledge.new_article("lost luggage")
    await knowledge.save()  # no body, no category: refused here, draft kept
    assert knowledge.error is not None
    assert knowledge.error.code == "invalid"
    assert knowledge.draft is not None
    assert knowledge.draft.title == "lost luggage"
    assert not [s for s in hub.sent if s[0] == "PUT"]


def test_chart_series_become_bars_on_one_scale() -> None:
    chart = ChartSeries(
        name="demand",
        points=[
            HourPoint(hour=NOW, values={"requested": 3, "capacity": 8}),
            HourPoint(hour=NOW + timedelta(hours=1), values={"requested": 1}),
        ],
    )
    drawn = bars(chart)
    assert drawn.series == ["requested", "capacity"]
    assert drawn.values == [[3, 8], [1, 0]]
    assert drawn.top == 8
    assert not drawn.empty
    assert bars(ChartSeries(name="x", points=[])).top == 1
