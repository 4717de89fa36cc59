"""The demo company: content files that hold together, and a load that works twice."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import httpx
import yaml

from app.backend.db import Database
from app.backend.demo import DEMO_DIR, load_demo, parse_span
from app.backend.kb_import import ArticleFile, parse_article
from app.schemas import CallbackQueue, StatusSnapshot
from app.schemas.localized import localized

REQUIRED_CATEGORIES = {
    "baggage",
    "delays-cancellations",
    "refunds",
    "rebooking",
    "weather-waivers",
    "check-in",
    "seats",
    "special-assistance",
    "pets",
    "loyalty",
    "payments",
    "travel-documents",
    "app-help",
}


def articles(locale: str) -> dict[str, ArticleFile]:
    return {p.stem: parse_article(p) for p in sorted((DEMO_DIR / "kb" / locale).glob("*.md"))}


def test_help_centre_content_is_complete_and_linked() -> None:
    english, spanish = articles("en"), articles("es")
    assert len(english) >= 80
    assert len(spanish) >= 25
    assert set(spanish) <= set(english), "every translation has an English original"
    categories = {c["key"] for c in yaml.safe_load((DEMO_DIR / "categories.yaml").read_text())}
    assert categories >= REQUIRED_CATEGORIES
    for locale, found in (("en", english), ("es", spanish)):
        used = Counter(a.category for a in found.values())
        assert set(used) <= categories, locale
    assert set(Counter(a.category for a in english.values())) == categories
    links = set()
    for path in (DEMO_DIR / "kb").rglob("*.md"):
        links |= set(re.findall(r"\]\(/help/([a-z0-9-]+)\)", path.read_text()))
    incidents = yaml.safe_load((DEMO_DIR / "incidents.yaml").read_text())
    for incident in incidents:
        links |= set(incident.get("articles", []))
        links |= set(re.findall(r"/help/([a-z0-9-]+)", str(incident["updates"])))
    assert links - set(english) == set(), "links point at existing articles"


def test_parse_span() -> None:
    assert parse_span("2d3h").total_seconds() == (2 * 24 + 3) * 3600
    assert parse_span("40m").total_seconds() == 2400


async def test_demo_load_gives_a_storm_and_loads_again_without_doubling(
    db: Database, client: httpx.AsyncClient
) -> None:
    with db.write() as conn:
        first = load_demo(conn)
    assert first.errors == []
    assert first.incidents == 4
    with db.write() as conn:
        second = load_demo(conn)
    assert second.incidents == 0
    status = (await client.get("/v1/status")).json()
    [storm] = status["active_incidents"]
    assert storm["impact"] == "critical"
    assert "ORD" in storm["keys"]
    assert len(storm["updates"]) >= 4
    assert {a["kind"] for a in storm["actions"]} == {"article", "callback", "case"}
    states = {c["id"]: c["status"] for c in status["components"]}
    assert states["flights-ord"] == "major_outage"
    assert len(status["maintenance"]) == 1
    assert len(status["recent_incidents"]) == 2
    queues = (await client.get("/v1/callbacks/queues")).json()["items"]
    assert [q["id"] for q in queues] == ["rebooking", "general"]
    for queue in queues:
        available = (
            await client.get("/v1/callbacks/availability", params={"queue": queue["id"]})
        ).json()
        assert len(available["slots"]) > 0, queue["id"]


async def test_the_demo_says_all_its_status_content_in_spanish(
    db: Database, client: httpx.AsyncClient
) -> None:
    """Every component, group, queue, incident, update and action has its Spanish text,
    and that text differs from the English one where a word could."""
    with db.write() as conn:
        load_demo(conn)
    status = StatusSnapshot.model_validate((await client.get("/v1/status")).json())
    incidents = status.active_incidents + status.maintenance + status.recent_incidents
    assert len(incidents) == 4
    for incident in incidents:
        spanish = localized(incident, "es")
        assert "es" in incident.translations and spanish.title != incident.title
        for update, shown in zip(incident.updates, spanish.updates, strict=True):
            assert "es" in update.translations and shown.body != update.body, update.body
        for action, shown_action in zip(incident.actions, spanish.actions, strict=True):
            assert shown_action.label != action.label
    for component in status.components:
        text = component.translations["es"]
        assert text.name and text.group and text.description, component.id
    groups = {localized(c, "es").group for c in status.components}
    assert groups == {"Aeropuertos", "Servicios"}
    queues = (await client.get("/v1/callbacks/queues")).json()["items"]
    for queue in queues:
        in_spanish = localized(CallbackQueue.model_validate(queue), "es")
        assert in_spanish.name != queue["name"]
        assert in_spanish.description != queue["description"]


def test_demo_dir_is_in_the_repository() -> None:
    assert Path(__file__).resolve().parents[2] / "assets" / "demo" / "northwind" == DEMO_DIR
