"""Building blocks every wire model uses: times, problems, pages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Generic, Self, TypeVar

from pydantic import (
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
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> datetime:
    """Parse an RFC 3339 time; a time without offset is rejected."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError("time must carry an offset (RFC 3339)")
    return value.astimezone(UTC)


# A UTC time on the wire: accepted with any offset (never without), always sent as `...Z`.
UtcTime = Annotated[AwareDatetime, PlainSerializer(format_time, return_type=str)]


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
