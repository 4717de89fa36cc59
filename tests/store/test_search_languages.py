"""Search in a language the help centre is partly translated into: the customer's
language first, then untranslated articles in the fallback language, found through a
bridge of everyday words; stop words, synonyms and typo correction per language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.store import PublicStore, open_public
from app.store.search import query_terms
from app.store.search_words import bridge, stop_words, synonyms
from tests.store.kb_fixture import demo_articles, load_articles

BAGGAGE = {"delayed-or-lost-baggage", "lost-baggage-claim", "damaged-baggage"}


@pytest.fixture(scope="module")
def english_only() -> Iterator[PublicStore]:
    local = open_public(None, memory=True)
    load_articles(local, [a for a in demo_articles() if a.locale == "en"])
    yield local
    local.close()


def found(store: PublicStore, query: str, locale: str, **options: object) -> list[tuple[str, str]]:
    hits = store.search.search(query, locale=locale, **options)  # type: ignore[arg-type]
    return [(hit.slug, hit.locale) for hit in hits]


def test_spanish_first_then_untranslated_english(store: PublicStore) -> None:
    results = found(store, "maleta perdida", "es", limit=8)
    assert results[0] == ("delayed-or-lost-baggage", "es")
    assert ("lost-baggage-claim", "en") in results
    spanish = {slug for slug, locale in results if locale == "es"}
    assert not any(locale == "en" and slug in spanish for slug, locale in results)
    assert ("delayed-or-lost-baggage", "en") not in results, "translated: Spanish only"
    # Among articles holding every word, Spanish ones first; then the same among those
    # holding some: an English article answering the whole query beats a Spanish one
    # holding one word of it.
    pets = found(store, "mascota bodega", "es", limit=10)
    assert pets[0] == ("pets-in-cabin", "es")
    assert pets.index(("pets-in-hold-cargo", "en")) < 5
    alone = found(store, "maleta perdida", "es", fallback=None, limit=8)
    assert alone and {locale for _, locale in alone} == {"es"}


def test_a_language_without_articles_finds_english_through_the_bridge(
    store: PublicStore, english_only: PublicStore
) -> None:
    assert {slug for slug, _ in found(store, "valise perdue", "fr", limit=3)} & BAGGAGE
    assert {locale for _, locale in found(store, "valise perdue", "fr")} == {"en"}
    top = found(english_only, "maleta perdida", "es", limit=3)
    assert {slug for slug, _ in top} & BAGGAGE and {locale for _, locale in top} == {"en"}
    # A Spanish typo is corrected among Spanish words, then bridged.
    assert found(english_only, "equipaje perdda", "es", limit=3)[0][0] in BAGGAGE
    # An English word typed by a Spanish customer is still found, typos corrected.
    assert found(english_only, "bagage claim", "es", limit=1) == [("lost-baggage-claim", "en")]


def test_the_fallback_keeps_the_category(store: PublicStore) -> None:
    results = store.search.search("maleta", locale="es", category="baggage", limit=20)
    assert {hit.locale for hit in results} == {"es", "en"}
    assert {hit.category for hit in results} == {"baggage"}


def test_english_customers_search_english_only(store: PublicStore) -> None:
    assert {locale for _, locale in found(store, "equipaje maleta", "en")} <= {"en"}


def test_typos_are_corrected_from_the_language_searched(store: PublicStore) -> None:
    with store.db.transaction() as conn:
        spanish = store.search.vocabulary(conn, "es")
        english = store.search.vocabulary(conn, "en")
    assert spanish.corrections("equipje")[0] == "equipaje"
    assert "equipaje" not in english.counts
    assert english.corrections("bagage")[0] == "baggage"


def test_words_per_language() -> None:
    assert query_terms("el equipaje perdido ", "es") == (["equipaje", "perdido"], False)
    assert query_terms("le bagage perdu ", "fr") == (["bagage", "perdu"], False)
    assert query_terms("de icing ", "en") == (["de", "icing"], False), "not Spanish 'de'"
    assert "de" in stop_words("es-MX") and "the" in stop_words("xx")
    assert "maleta" in synonyms("es", "equipaje") and not synonyms("en", "equipaje")
    assert "baggage" in bridge("es", "en", "maleta") and bridge("en", "en", "bag") == ()
