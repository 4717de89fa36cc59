"""The booking reference's one format check (app/schemas/booking.py), and the callback's
language tag, as both the hub and the app apply them."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from app.backend.settings import SettingsError
from app.backend.settings_env import load_settings
from app.schemas.booking import BookingRefError, BookingRefField, check_booking_ref
from app.schemas.mutations import CallbackRequestArgs, CaseOpenArgs

AIRLINE = r"^[A-Z0-9]{6}$"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("K7Q2XM", "K7Q2XM"), ("  k7q2xm ", "K7Q2XM"), ("", None), ("   ", None), (None, None)],
)
def test_a_reference_in_the_company_format_is_kept_in_capitals(
    typed: str | None, stored: str | None
) -> None:
    assert check_booking_ref(typed, AIRLINE) == stored


@pytest.mark.parametrize("typed", ["K7Q2X", "K7Q2XMM", "K7Q-2X", "K7Q2X✈", "'; DROP", "A" * 41])
def test_a_reference_in_another_format_is_refused(typed: str) -> None:
    with pytest.raises(BookingRefError):
        check_booking_ref(typed, AIRLINE)


def test_without_a_pattern_any_short_reference_passes_but_not_any_text() -> None:
    assert check_booking_ref("order 1234-55", None) == "ORDER 1234-55"
    with pytest.raises(BookingRefError):
        check_booking_ref("line\nbreak<script>", None)


def test_the_field_is_named_per_locale() -> None:
    field = BookingRefField(
        label={"en": "Order number", "es": "Número de pedido"}, pattern=r"^\d{8}$"
    )
    assert (field.label_in("es"), field.label_in("fr")) == ("Número de pedido", "Order number")


def test_mutations_carry_the_reference_and_a_bcp47_language() -> None:
    args = CallbackRequestArgs.model_validate(
        {
            "queue": "q",
            "mode": "asap",
            "phone": "+13125550123",
            "booking_ref": "K7Q2XM",
            "language": "es-MX",
        }
    )
    assert (args.booking_ref, args.language) == ("K7Q2XM", "es-MX")
    for language in ("spanish please", "e", "es_MX", "x" * 40):
        with pytest.raises(ValidationError):
            CallbackRequestArgs.model_validate(
                {"queue": "q", "mode": "asap", "phone": "+1", "language": language}
            )
    with pytest.raises(ValidationError):
        CaseOpenArgs.model_validate({"subject": "s", "description": "d", "booking_ref": "x" * 41})


def test_the_company_names_its_field_and_format_in_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARELINE_CALLER_NUMBER", "+442079460000")
    monkeypatch.setenv("CARELINE_BOOKING_REF_LABEL", "en=Order number, es=Número de pedido")
    monkeypatch.setenv("CARELINE_BOOKING_REF_PATTERN", r"^\d{8}$")
    loaded = load_settings(data_dir=tmp_path)
    assert loaded.caller_number == "+442079460000"
    assert loaded.booking_ref_label == (("en", "Order number"), ("es", "Número de pedido"))
    assert loaded.booking_ref_pattern == r"^\d{8}$"
    for name, value in (
        ("CARELINE_CALLER_NUMBER", "call us"),
        ("CARELINE_BOOKING_REF_LABEL", "Order number"),
        ("CARELINE_BOOKING_REF_PATTERN", "^[A-Z"),
    ):
        monkeypatch.setenv(name, value)
        with pytest.raises(SettingsError, match=name):
            load_settings(data_dir=tmp_path)
        monkeypatch.delenv(name)
