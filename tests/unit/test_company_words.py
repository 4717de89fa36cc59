"""Labels that name the company's trade: the company's own words in the customer's
language (or its language without the region), else the app's generic words."""

from __future__ import annotations

from app.schemas.wording import CompanyWord, company_words
from app.state.window import UiState
from app.views.strings import tr
from app.views.widgets import company_tr

AIRLINE = {"alerts_keys": {"en": "Airports, flights and bookings", "es": "Aeropuertos"}}


def test_the_companys_words_in_the_customers_language() -> None:
    assert company_words(AIRLINE, CompanyWord.alerts_keys, "es-MX") == "Aeropuertos"
    assert company_words(AIRLINE, CompanyWord.alerts_keys, "fr") is None
    assert company_words(AIRLINE, CompanyWord.key_label, "en") is None


def test_without_them_the_app_uses_its_generic_words() -> None:
    ui = UiState(390, "fr")
    ui.wording = AIRLINE
    assert company_tr(ui, CompanyWord.alerts_keys) == tr("fr", "alerts_keys")
    ui.locale = "es"
    assert company_tr(ui, CompanyWord.alerts_keys) == "Aeropuertos"
    for locale in ("en", "es", "fr"):
        generic = tr(locale, "alerts_keys") + tr(locale, "key_label") + tr(locale, "search_hint")
        for airline in ("flight", "vuelo", "vol", "bag", "equipaje", "bagage", "airport"):
            assert airline not in generic.lower(), (locale, airline)
