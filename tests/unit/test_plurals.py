"""Counted phrases read right in every language, zero and one included, with as many
forms as the language has (Spanish and French: a third one for millions)."""

from __future__ import annotations

from app.views.plurals import trn


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


def test_a_language_with_three_forms_and_its_own_rule_for_zero() -> None:
    assert trn("es", "changes_waiting", 1_000_000) == "1.000.000 de cambios pendientes de envío"
    assert trn("es", "changes_waiting", 12_345) == "12.345 cambios pendientes de envío"
    # French counts zero as singular.
    assert trn("fr", "changes_waiting", 0) == "0 modification en attente d’envoi"
    assert trn("fr", "changes_waiting", 2) == "2 modifications en attente d’envoi"
    assert trn("fr", "sessions_ended", 1_000_000).endswith("d’autres appareils")
    assert trn("en", "changes_waiting", 1_000_000) == "1,000,000 changes waiting to be sent"
