"""The booking reference a customer may give on a case or a callback (an airline's
booking code, a shop's order number): the company names the field and gives its format,
and this one check is what both the hub and the app apply."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, StringConstraints

from app.schemas.common import WireModel

MAX_BOOKING_REF = 40
# A reference as it travels: one short line of letters, digits and a few separators. The
# company's own pattern (below) is checked on top of this.
BookingRef = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_BOOKING_REF, pattern=r"^[A-Za-z0-9 ./_-]+$")
]
# A BCP 47 language tag as a browser or phone gives it: 'en', 'es-MX', 'zh-Hant-TW'.
LanguageTag = Annotated[
    str, StringConstraints(max_length=35, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
]


class BookingRefField(WireModel):
    """How the company asks for a reference: the field's name per locale, and the format
    a reference must have (a regular expression the whole reference matches)."""

    label: dict[str, str] = Field(description="Locale ('en', 'es') -> the field's name.")
    pattern: str = Field(max_length=200, description="Regular expression, matched in full.")
    example: str | None = Field(None, max_length=MAX_BOOKING_REF)

    def label_in(self, locale: str) -> str:
        return self.label.get(locale) or self.label.get("en") or next(iter(self.label.values()))


class BookingRefError(ValueError):
    """The reference does not have the company's format."""


def normalize_booking_ref(text: str | None) -> str | None:
    """What the customer typed, as stored: trimmed, in capitals (references are read out
    on the phone, and customers type them in either case); None when left empty."""
    value = " ".join((text or "").split()).upper()
    return value or None


def check_booking_ref(text: str | None, pattern: str | None) -> str | None:
    """The normalized reference, or None when none was given; BookingRefError when it
    does not match `pattern` (a company without a pattern takes any short reference)."""
    value = normalize_booking_ref(text)
    if value is None:
        return None
    if len(value) > MAX_BOOKING_REF or not re.fullmatch(r"[A-Z0-9 ./_-]+", value):
        raise BookingRefError(value)
    if pattern and not re.fullmatch(pattern, value):
        raise BookingRefError(value)
    return value


def valid_pattern(pattern: str) -> str:
    """`pattern` if it compiles; ValueError saying why not (company settings)."""
    try:
        re.compile(pattern)
    except re.error as error:
        raise ValueError(f"booking reference pattern {pattern!r}: {error}") from None
    return pattern
