"""Phone numbers for callbacks: E.164 from what people type, shown back the usual way."""

from __future__ import annotations

import pytest

from app.state.phone import COUNTRIES, DEFAULT_COUNTRY, country_label, display, to_e164


@pytest.mark.parametrize(
    ("typed", "region", "e164"),
    [
        ("(312) 555-0100", "US", "+13125550100"),
        ("312.555.0123", "US", "+13125550123"),
        ("  312 555 0100\t", "US", "+13125550100"),
        ("612 345 678", "ES", "+34612345678"),
        ("0034 612 345 678", "ES", "+34612345678"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("07911 123456", "GB", "+447911123456"),
        # A leading + names its own country, whatever the picker says.
        ("+34 612 345 678", "US", "+34612345678"),
        ("+1 (312) 555-0100", "GB", "+13125550100"),
        ("+44 20 7946 0958", "ES", "+442079460958"),
    ],
)
def test_valid_numbers_become_e164(typed: str, region: str, e164: str) -> None:
    assert to_e164(typed, region) == e164


@pytest.mark.parametrize(
    ("typed", "region"),
    [
        ("", "US"),
        ("   ", "US"),
        ("hello", "US"),
        ("12", "US"),
        ("call me maybe", "ES"),
        ("612 345 678", "US"),  # a Spanish mobile is not a US number
        ("3125550100123", "US"),  # too many digits
        ("+1 312 555 0100 999", "US"),
        ("+999 1234567", "US"),  # no such country code
    ],
)
def test_invalid_numbers_are_refused(typed: str, region: str) -> None:
    assert to_e164(typed, region) is None


def test_overlong_input_is_refused_before_parsing() -> None:
    padded = "312" + " " * 30 + "555-0100"
    assert len(padded) > 40
    assert to_e164(padded, "US") is None
    assert to_e164("312" + " " * 20 + "555-0100", "US") == "+13125550100"


@pytest.mark.parametrize(
    ("e164", "shown"),
    [
        ("+13125550100", "+1 312-555-0100"),
        ("+34612345678", "+34 612 34 56 78"),
        ("+442079460958", "+44 20 7946 0958"),
    ],
)
def test_display_is_international(e164: str, shown: str) -> None:
    assert display(e164) == shown
    assert to_e164(shown, "US") == e164, "what is shown can be typed back"


def test_display_leaves_what_it_cannot_parse() -> None:
    assert display("not a number") == "not a number"
    assert display("") == ""


def test_country_labels_in_both_languages() -> None:
    assert country_label("US", "en") == "United States (+1)"
    assert country_label("ES", "es") == "España (+34)"
    assert country_label("GB", "es") == "Reino Unido (+44)"
    assert country_label("GB", "en") == "United Kingdom (+44)"
    regions = [code for code, _, _ in COUNTRIES]
    assert DEFAULT_COUNTRY in regions and len(set(regions)) == len(regions)
