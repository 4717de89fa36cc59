"""Phone numbers for callbacks: checked with libphonenumber's rules for the chosen country
and sent to the hub in E.164 form (+13125550100)."""

from __future__ import annotations

import phonenumbers

# Countries offered first in the picker: (region, English name, Spanish name).
COUNTRIES: list[tuple[str, str, str]] = [
    ("US", "United States", "Estados Unidos"),
    ("CA", "Canada", "Canadá"),
    ("MX", "Mexico", "México"),
    ("ES", "Spain", "España"),
    ("GB", "United Kingdom", "Reino Unido"),
    ("IE", "Ireland", "Irlanda"),
    ("FR", "France", "Francia"),
    ("DE", "Germany", "Alemania"),
    ("IT", "Italy", "Italia"),
    ("NL", "Netherlands", "Países Bajos"),
    ("PT", "Portugal", "Portugal"),
    ("AR", "Argentina", "Argentina"),
    ("BR", "Brazil", "Brasil"),
    ("CL", "Chile", "Chile"),
    ("CO", "Colombia", "Colombia"),
    ("PE", "Peru", "Perú"),
    ("DO", "Dominican Republic", "República Dominicana"),
    ("PR", "Puerto Rico", "Puerto Rico"),
    ("JP", "Japan", "Japón"),
    ("IN", "India", "India"),
    ("AU", "Australia", "Australia"),
]
DEFAULT_COUNTRY = "US"


def country_label(region: str, locale: str) -> str:
    """'United States (+1)', in the customer's language."""
    names = {code: (en, es) for code, en, es in COUNTRIES}
    en, es = names.get(region, (region, region))
    return f"{es if locale == 'es' else en} (+{phonenumbers.country_code_for_region(region)})"


def to_e164(text: str, region: str) -> str | None:
    """The number in E.164 form, or None when it is not a valid number for `region` (a
    number typed with a leading + may belong to any country)."""
    cleaned = text.strip()
    if not cleaned or len(cleaned) > 40:
        return None
    try:
        number = phonenumbers.parse(cleaned, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(e164: str) -> str:
    """An E.164 number the way people write it internationally: +1 312-555-0100."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
