"""Public content in the customer's language: translations of status content and queues
are kept as the hub sent them, inside each entity's data."""

from __future__ import annotations

from app.schemas import Component
from app.schemas.localized import localized
from app.store import open_local

WHEN = "2026-01-10T12:00:00Z"


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
