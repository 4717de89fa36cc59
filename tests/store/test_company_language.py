"""A company that writes in Spanish first: what is missing in the customer's language is
shown in Spanish, the company's default language as its status page says (English only
while no status page has said one)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.schemas.status import StatusPage
from app.store import PublicStore, open_public, tables
from tests.store.kb_fixture import demo_articles, load_articles

# The English translations this company has: everything else is in Spanish only.
IN_ENGLISH = {"pets-in-cabin", "seat-selection"}


@pytest.fixture
def spanish_company() -> Iterator[PublicStore]:
    local = open_public(None, memory=True)
    load_articles(
        local,
        [a for a in demo_articles() if a.locale == "es" or a.slug in IN_ENGLISH],
    )
    with local.db.transaction() as conn:
        page = StatusPage(name="Aerolíneas", url="https://x.example", time_zone="Europe/Madrid")
        tables.set_meta(
            conn, "company", page.model_copy(update={"default_locale": "es"}).model_dump_json()
        )
    yield local
    local.close()


def test_the_fallback_is_the_companys_default_language(spanish_company: PublicStore) -> None:
    content = spanish_company.content
    assert content.default_locale() == "es"
    article = content.article("delayed-or-lost-baggage", "en")
    assert article is not None and article.locale == "es"
    assert content.article("delayed-or-lost-baggage", "fr").locale == "es"  # type: ignore[union-attr]
    translated = content.article("pets-in-cabin", "en")
    assert translated is not None and translated.locale == "en"
    # An English customer's search finds the Spanish articles not translated for them.
    hits = spanish_company.search.search("equipaje", locale="en", limit=5)
    assert hits and {hit.locale for hit in hits} == {"es"}
    assert spanish_company.search.search("equipaje", locale="en", fallback=None) == []


def test_without_a_word_from_the_hub_the_fallback_is_english(store: PublicStore) -> None:
    assert store.content.company() is None
    assert store.content.default_locale() == "en"
    found = store.search.search("maleta perdida", locale="es", limit=8)
    assert ("lost-baggage-claim", "en") in [(h.slug, h.locale) for h in found]
