"""Help without dead ends: an incident's articles first on the Help home, contact offered
where self-service ends, one list of related articles, and a vote that counts at once
without an account."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.backend.crud import kb, status
from app.backend.db.tables import article_feedback
from app.schemas import Impact, Incident, IncidentKind
from app.state.help import (
    HelpState,
    IncidentHelp,
    Link,
    case_subject,
    incident_help,
    merge_related,
    offers_contact,
    split_related,
)
from app.state.runtime import DeviceRuntime
from tests.sync.support import Rig

BODY = """Report it at the desk.

## Ask first

Keep your tag.

## Related articles

- [Checked bag fees](/help/bag-fees)
* [Delayed bags](/help/delayed-bag)
"""


def test_an_articles_own_related_list_is_taken_out_of_its_body() -> None:
    body, links = split_related(BODY)
    assert links == [Link("bag-fees", "Checked bag fees"), Link("delayed-bag", "Delayed bags")]
    assert body.endswith("Keep your tag.\n") and "Related" not in body
    # A last section that is not only links to articles stays where it is.
    prose = BODY + "Call us too.\n"
    assert split_related(prose) == (prose, [])
    outside = "Text\n\n## Links\n\n- [Site](https://example.com)\n"
    assert split_related(outside) == (outside, [])
    assert split_related("No headings") == ("No headings", [])


def test_related_articles_appear_once_authors_first() -> None:
    authored = [Link("a", "A"), Link("b", "B")]
    found = [Link("self", "Self"), Link("b", "B"), Link("c", "C"), Link("d", "D"), Link("e", "E")]
    merged = merge_related(authored, found, "self", limit=4)
    assert [m.slug for m in merged] == ["a", "b", "c", "d"]
    assert merge_related([], [Link("self", "S")], "self") == []


def incident(
    title: str, impact: Impact, articles: list[str], hours_ago: int, **extra: object
) -> Incident:
    moment = datetime.now(UTC) - timedelta(hours=hours_ago)
    return Incident.model_validate(
        {
            "id": title,
            "title": title,
            "status": "investigating",
            "impact": impact,
            "articles": articles,
            "started_at": moment,
            "created_at": moment,
            "updated_at": moment,
            **extra,
        }
    )


def test_active_incidents_articles_come_worst_first() -> None:
    titles = {"waiver": "Travel waiver", "bags": "Delayed bags", "fees": "Bag fees"}
    links = {slug: Link(slug, title) for slug, title in titles.items()}
    found = incident_help(
        [
            incident("Slow bags", Impact.minor, ["bags"], 1),
            incident("Storm", Impact.critical, ["waiver", "gone"], 5),
            incident("Old storm", Impact.critical, ["fees"], 9),
            incident("No articles", Impact.major, [], 1),
            incident("Works", Impact.major, ["fees"], 1, kind=IncidentKind.maintenance),
            incident("Over", Impact.major, ["fees"], 1, resolved_at=datetime.now(UTC)),
        ],
        links.get,
    )
    assert found == [
        IncidentHelp("Storm", "Storm", [Link("waiver", "Travel waiver")]),
        IncidentHelp("Old storm", "Old storm", [Link("fees", "Bag fees")]),
        IncidentHelp("Slow bags", "Slow bags", [Link("bags", "Delayed bags")]),
    ]


def test_contact_is_offered_on_the_home_and_when_nothing_is_found() -> None:
    assert offers_contact("", [])
    assert offers_contact("  ", ["hit"])
    assert offers_contact("zzqx", [])
    assert not offers_contact("bag", ["hit"])
    assert case_subject("  lost\n bag  ") == "lost bag"
    assert len(case_subject("w " * 300)) == 200


async def test_help_home_shows_the_incidents_articles_first(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    with rig.db.write() as conn:
        status.publish_incident(
            conn,
            title="Storm at ORD",
            impact=Impact.critical,
            components_affected=["flights-ord"],
            body="Snow.",
            articles=["bag-fees", "not-on-the-hub"],
        )
    await runtime.engine.sync()
    help_ = HelpState(runtime)
    await help_.load()
    [storm] = help_.incidents
    assert (storm.title, storm.articles) == (
        "Storm at ORD",
        [Link("bag-fees", "Checked bag fees", "en")],
    )
    assert help_.contact_here
    await help_.search("zzqx nothing")
    assert help_.results == [] and help_.contact_here
    await help_.search("bag")
    assert help_.results and not help_.contact_here


def hub_votes(rig: Rig) -> list[tuple[bool, str | None, str | None]]:
    with rig.db.read() as conn:
        rows = conn.execute(select(article_feedback).order_by(article_feedback.c.id))
        return [(r.helpful, r.comment, r.customer_id) for r in rows]


async def test_a_vote_counts_at_once_signed_out(rig: Rig, runtime: DeviceRuntime) -> None:
    await runtime.engine.sync()
    help_ = HelpState(runtime)
    await help_.open_article("lost-bag")
    assert not help_.contact_after_vote
    await help_.give_feedback(False)
    assert hub_votes(rig) == [(False, None, None)], "counted at once, without signing in"
    assert (help_.vote, help_.vote_pending, help_.contact_after_vote) == (False, False, True)
    assert runtime.personal.outbox.pending() == []
    await help_.give_feedback(False, "  Which desk? ")
    assert hub_votes(rig) == [(False, "Which desk?", None)], "the comment replaces the vote"


async def test_a_vote_made_offline_goes_with_the_next_sync(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    await runtime.engine.sync()
    help_ = HelpState(runtime)
    await help_.open_article("lost-bag")
    rig.transport.down = True
    await help_.give_feedback(True)
    await help_.give_feedback(False, "Too short")
    assert (help_.vote, help_.vote_pending) == (False, True)
    assert len(runtime.personal.outbox.pending()) == 2, "kept on the device meanwhile"
    rig.transport.down = False
    rig.sign_in()
    await runtime.engine.sync()
    assert hub_votes(rig) == [(False, "Too short", None)], "only the newest vote, anonymously"
    assert runtime.personal.outbox.pending() == []
    await help_.open_article("lost-bag")
    assert (help_.vote, help_.vote_pending) == (False, False)
    with rig.db.read() as conn:
        assert kb.feedback_summary(conn, article_ref="en:lost-bag")["not_helpful"] == 1


async def test_an_article_shows_one_related_list(rig: Rig, runtime: DeviceRuntime) -> None:
    with rig.db.write() as conn:
        kb.save_article(
            conn,
            slug="delayed-bag",
            locale="en",
            title="Delayed bags",
            body=BODY,
            category="baggage",
        )
    await runtime.engine.sync()
    help_ = HelpState(runtime)
    await help_.open_article("delayed-bag")
    assert "Related articles" not in help_.body
    slugs = [link.slug for link in help_.related]
    assert slugs[0] == "bag-fees" and len(slugs) == len(set(slugs)) and "delayed-bag" not in slugs
