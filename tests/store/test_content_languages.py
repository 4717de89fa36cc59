"""Public content in the customer's language: categories fall back to English one by one,
and translations of status content and queues are kept as the hub sent them."""

from __future__ import annotations

from app.schemas import Category, Component
from app.schemas.localized import localized
from app.store import open_local

WHEN = "2026-01-10T12:00:00Z"


def test_categories_in_a_language_fall_back_to_english_one_by_one() -> None:
    stores = open_local(memory=True)
    content = stores.public.content
    with stores.public.db.transaction() as conn:
        for key, position in (("baggage", 0), ("refunds", 1)):
            english = Category(id=key, locale="en", title=key.title(), position=position)
            content.save_category(conn, english)
        content.save_category(
            conn, Category(id="baggage", locale="es", title="Equipaje", position=0)
        )
    assert [c.title for c in content.categories("es")] == ["Equipaje", "Refunds"]
    assert [c.title for c in content.categories("en")] == ["Baggage", "Refunds"]
    assert [c.title for c in content.categories("fr")] == ["Baggage", "Refunds"]


def test_translations_are_kept_with_the_content() -> None:
    stores = open_local(memory=True)
    content = stores.public.content
    component = Component(
        id="ord",
        name="Flights at ORD",
        group="Airports",
        updated_at=WHEN,
        translations={"es": {"name": "Vuelos en ORD", "group": "Aeropuertos"}},
    )
    with stores.public.db.transaction() as conn:
        content.save_component(conn, component)
    [kept] = content.components()
    assert kept == component
    assert localized(kept, "es").group == "Aeropuertos"
