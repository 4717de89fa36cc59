"""The company's words for labels that name its trade reach the app with its status
page; a company that gives none leaves the app's generic words."""

from __future__ import annotations

import httpx

from app.backend.settings import HubSettings
from app.backend.statuspage import company_page


async def test_the_demo_company_words_its_labels_in_each_language(
    client: httpx.AsyncClient,
) -> None:
    page = (await client.get("/v1/status")).json()["page"]
    assert page["wording"]["alerts_keys"] == {
        "en": "Airports, flights and bookings",
        "es": "Aeropuertos, vuelos y reservas",
        "fr": "Aéroports, vols et réservations",
    }
    assert set(page["wording"]) == {"alerts_keys", "key_label", "key_hint", "search_hint"}


def test_a_company_without_words_of_its_own_sends_none(settings: HubSettings) -> None:
    plain = settings.with_overrides(
        wording_alerts_keys=None,
        wording_key_label=None,
        wording_key_hint=None,
        wording_search_hint=(("en", "Try 'late order'"),),
    )
    assert company_page(plain).wording == {"search_hint": {"en": "Try 'late order'"}}
