"""Counted phrases read right in both languages, zero and one included."""

from __future__ import annotations

import pytest

from app.views.plurals import FORMS, trn
from app.views.strings import STRINGS


def test_counted_phrases_in_english_and_spanish() -> None:
    assert trn("en", "changes_waiting", 1) == "1 change waiting to be sent"
    assert trn("en", "changes_waiting", 3) == "3 changes waiting to be sent"
    assert trn("en", "changes_waiting", 0) == "0 changes waiting to be sent"
    assert trn("es", "changes_waiting", 1) == "1 cambio pendiente de envío"
    assert trn("es", "changes_waiting", 3) == "3 cambios pendientes de envío"
    assert trn("es", "sign_out_unsent", 1).startswith("1 cambio aún no nos ha llegado")
    assert trn("en", "error_codes_wait", 1).endswith(
        "in 1 minute; meanwhile, use the newest code we sent."
    )
    assert "en 12 minutos" in trn("es", "error_codes_wait", 12)


@pytest.mark.parametrize("locale", sorted(STRINGS))
def test_every_counted_phrase_has_all_its_forms(locale: str) -> None:
    table = STRINGS[locale]
    stems = {key.rsplit("_", 1)[0] for key in table if key.endswith(("_one", "_other"))}
    for stem in stems:
        for form in FORMS:
            assert "{count}" in table[f"{stem}_{form}"], (locale, stem, form)
