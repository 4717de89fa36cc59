"""`localized`: the customer's language where the company translated, else the default."""

from __future__ import annotations

from string import Formatter

from app.schemas import Component, Event, Incident, IncidentAction, IncidentUpdate
from app.schemas.callbacks import CallbackQueue
from app.schemas.event_text import PHRASES, event_text, phrase
from app.schemas.localized import localized, pick, text_for

WHEN = "2026-01-10T12:00:00Z"


def storm() -> Incident:
    return Incident(
        id="inc_1",
        title="Winter storm",
        status="identified",
        impact="critical",
        started_at=WHEN,
        created_at=WHEN,
        updated_at=WHEN,
        translations={"es": {"title": "Tormenta de invierno"}},
        updates=[
            IncidentUpdate(
                id="u2",
                status="identified",
                body="Flights are cancelled.",
                created_at=WHEN,
                translations={"es": {"body": "Se cancelan vuelos."}},
            ),
            IncidentUpdate(
                id="u1", status="investigating", body="Snow is coming.", created_at=WHEN
            ),
        ],
        actions=[
            IncidentAction(kind="case", label="Ask us", translations={"es": {"label": "Pregunta"}})
        ],
    )


def test_an_incident_reads_in_spanish_and_falls_back_where_not_translated() -> None:
    shown = localized(storm(), "es")
    assert shown.title == "Tormenta de invierno"
    assert [u.body for u in shown.updates] == ["Se cancelan vuelos.", "Snow is coming."]
    assert shown.actions[0].label == "Pregunta"
    assert storm().title == "Winter storm"  # the model given is left as it was


def test_a_regional_tag_finds_its_language_and_an_unknown_one_the_default() -> None:
    assert localized(storm(), "es-MX").title == "Tormenta de invierno"
    assert localized(storm(), "ES_es").title == "Tormenta de invierno"
    unchanged = storm()
    assert localized(unchanged, "fr") is unchanged
    assert localized(unchanged, None) is unchanged
    assert localized(unchanged, "en").title == "Winter storm"


def test_a_translation_of_some_fields_keeps_the_others() -> None:
    component = Component(
        id="ord",
        name="Flights at ORD",
        group="Airports",
        description="Our Chicago hub.",
        updated_at=WHEN,
        translations={"es": {"name": "Vuelos en ORD"}},
    )
    shown = localized(component, "es")
    assert (shown.name, shown.group, shown.description) == (
        "Vuelos en ORD",
        "Airports",
        "Our Chicago hub.",
    )
    assert text_for(component, "name", "es") == "Vuelos en ORD"
    assert text_for(component, "group", "es") == "Airports"


def test_a_queue_name() -> None:
    queue = CallbackQueue(
        id="general",
        name="General help",
        time_zone="UTC",
        slot_minutes=30,
        min_notice_minutes=60,
        horizon_days=7,
        translations={"es": {"name": "Ayuda general"}},
    )
    assert localized(queue, "es").name == "Ayuda general"
    assert localized(queue, "de").name == "General help"


def test_pick_prefers_the_exact_tag() -> None:
    found = {"pt": "português", "pt-BR": "brasileiro"}
    assert pick(found, "pt-br") == "brasileiro"
    assert pick(found, "pt-PT") == "português"
    assert pick(found, "") is None
    assert pick({}, "es") is None


def test_event_text_in_the_customers_language() -> None:
    event = Event(
        id=1,
        kind="incident",
        entity_id="inc_1",
        version=1,
        data=storm().model_dump(mode="json"),
        created_at=WHEN,
    )
    spanish = event_text(event, "es")
    assert spanish is not None
    assert (spanish.title, spanish.body) == ("Tormenta de invierno", "Se cancelan vuelos.")
    english = event_text(event, None)
    assert english is not None and english.title == "Winter storm"
    assert phrase("de", "soon") == "soon"  # a language without phrases reads in English
    assert phrase("fr-CA", "in_minutes", minutes=5) == "dans environ 5 minutes"


def test_every_language_has_every_phrase_with_the_same_placeholders() -> None:
    def holes(text: str) -> set[str]:
        return {name for _, name, _, _ in Formatter().parse(text) if name}

    english = PHRASES.messages("en")
    assert PHRASES.languages() == ["en", "es", "fr"]
    for language in PHRASES.languages():
        words = PHRASES.messages(language)
        assert set(words) == set(english), language
        for key, text in words.items():
            assert holes(text) == holes(english[key]), (language, key)
