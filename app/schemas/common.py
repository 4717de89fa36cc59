"""Building blocks every wire model uses: times, problems, pages."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Generic, Self, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    model_validator,
)

T = TypeVar("T")


def format_time(value: datetime) -> str:
    """RFC 3339 UTC with a `Z`, microseconds kept: sorts as text the same as in time."""
    if value.tzinfo is None:
        raise ValueError("naive datetimes are not wire times")
    # isoformat, unlike strftime's %Y, writes years before 1000 with four digits.
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def parse_time(text: str) -> datetime:
    """Parse an RFC 3339 time; a time without offset is rejected."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError("time must carry an offset (RFC 3339)")
    return value.astimezone(UTC)


def _in_utc(value: datetime) -> datetime:
    """A time that has no UTC equivalent (year 1 at +01:00) is invalid input, not a crash."""
    try:
        return value.astimezone(UTC)
    except OverflowError as error:
        raise ValueError("time is out of range once converted to UTC") from error


# A UTC time on the wire: accepted with any offset (never without), always sent as `...Z`.
UtcTime = Annotated[
    AwareDatetime, AfterValidator(_in_utc), PlainSerializer(format_time, return_type=str)
]


# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they
# reorder what an operator's terminal or a log viewer shows (a file name or a command that
# reads backwards). Marks such as U+200E stay: right-to-left text needs them.
_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def without_bidi_controls(text: str) -> str:
    return text.translate(_BIDI_CONTROLS)


def _control_characters(text: str, allowed: str) -> str:
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text):
        raise ValueError("text must not contain control characters")
    return without_bidi_controls(text)


# Line breaks a paste may carry that are not \n: vertical tab, form feed, NEL.
_LINE_BREAKS = str.maketrans({"\v": "\n", "\f": "\n", "\x85": "\n"})


def as_one_line(text: str) -> str:
    """What a customer typed in a one-line field, as the hub accepts it: tabs and line
    breaks (a paste from a spreadsheet) become spaces, other control characters go."""
    spaced = "".join(" " if ch in "\t\n\r\v\f\x85" else ch for ch in without_bidi_controls(text))
    return "".join(ch for ch in spaced if unicodedata.category(ch) != "Cc")


def as_multi_line(text: str) -> str:
    """What a customer typed in a text box, as the hub accepts it: tabs and line breaks
    stay (other kinds of line break become \n), other control characters go."""
    return "".join(
        ch
        for ch in without_bidi_controls(text).translate(_LINE_BREAKS)
        if ch in "\t\n\r" or unicodedata.category(ch) != "Cc"
    )


# Text a customer writes, which operators read in terminals and logs as well as in the app:
# no control characters (an escape sequence would drive the operator's terminal), except
# tabs and line breaks in text that may span lines; bidirectional controls are dropped.
OneLine = Annotated[str, AfterValidator(lambda text: _control_characters(text, ""))]
MultiLine = Annotated[str, AfterValidator(lambda text: _control_characters(text, "\t\n\r"))]


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(isinstance(v, str) and "\x00" in v for v in value)
    if isinstance(value, dict):
        return any(isinstance(v, str) and "\x00" in v for v in value.values())
    return False


class WireModel(BaseModel):
    """Base of every wire model: unknown fields are ignored, so old clients keep working;
    text with a NUL character is refused (no database stores it)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    # Fields holding another model's raw input, checked when that model is validated.
    _unchecked_fields: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _refuse_nul(self) -> Self:
        for name, value in self:
            if name not in self._unchecked_fields and _holds_nul(value):
                raise ValueError(f"{name}: text must not contain NUL characters")
        return self


class ProblemField(WireModel):
    """One invalid input: where it is and what is wrong."""

    loc: list[str | int] = Field(description="Path to the offending field, e.g. ['body', 'email'].")
    msg: str
    type: str


class Problem(WireModel):
    """An error body (RFC 9457 problem details)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[ProblemField] | None = None


class Page(WireModel, Generic[T]):
    """One page of a list; pass `next_cursor` back as `cursor` for the next page."""

    items: list[T]
    next_cursor: str | None = None
