"""Early warning from public posts: a post as it is ingested (JSON lines, the webhook), a
watched key, and a warning as the operator API and `social warnings --json` show it."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from enum import StrEnum

from pydantic import AwareDatetime, Field, field_validator

from app.schemas.common import WireModel

# What a post keeps of its text: enough to read why it counted, and no more.
POST_TEXT_LIMIT = 500
# The longest text accepted before trimming (a post of 1 MB is refused, not stored).
POST_TEXT_ACCEPTED = 20_000
SAMPLE_LIMIT = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def printable(text: str, limit: int | None = None) -> str:
    """`text` safe for a terminal or a screen line: control and bidi characters become
    spaces, runs of white space one space, cut at `limit` characters with an ellipsis."""
    flat = " ".join(_CONTROL.sub(" ", unicodedata.normalize("NFC", text)).split())
    if limit is not None and len(flat) > limit:
        return flat[: limit - 1] + "…"
    return flat


class WarningState(StrEnum):
    new = "new"
    acknowledged = "acknowledged"
    dismissed = "dismissed"
    published = "published"


class PostIn(WireModel):
    """One public post: a line of `social import`, or one item the webhook takes."""

    id: str = Field(min_length=1, max_length=200)
    created_at: AwareDatetime
    text: str = Field(max_length=POST_TEXT_ACCEPTED)
    author: str | None = Field(None, max_length=200, description="Read, never stored.")
    url: str | None = Field(None, max_length=500)
    lang: str | None = Field(None, max_length=35)
    source: str = Field("import", min_length=1, max_length=40)

    @field_validator("text")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        return printable(value, POST_TEXT_LIMIT)


class PostBatch(WireModel):
    """What the webhook takes: posts of a live feed."""

    posts: list[PostIn] = Field(min_length=1, max_length=1000)


class IngestResult(WireModel):
    received: int
    added: int
    warnings_opened: int


class WatchedKey(WireModel):
    key: str = Field(min_length=1, max_length=100)
    aliases: list[str] = Field(default_factory=list, max_length=20)


class SamplePost(WireModel):
    created_at: datetime
    text: str
    url: str | None = None


class EarlyWarning(WireModel):
    id: str
    key: str
    started_at: datetime
    detected_at: datetime
    count: int = Field(description="Posts in the first anomalous bin.")
    baseline: float = Field(description="Posts expected in that bin.")
    p_value: float
    series: str = Field(
        "total",
        description="Which of the key's series burst: `total` (every post naming it) or "
        "`disruption` (those also reporting a cancellation, delay...; the samples are these).",
    )
    samples: list[SamplePost]
    state: WarningState
    incident_id: str | None = None


class WarningAction(WireModel):
    """What an operator does with a warning; `publish` opens an incident prefilled from
    it (`impact`, and optionally `title`, `body`, `components`), or, with `incident_id`,
    links the incident the operator already published from it."""

    state: WarningState
    incident_id: str | None = Field(None, max_length=64)
    impact: str = Field("minor", pattern="^(none|minor|major|critical)$")
    title: str | None = Field(None, max_length=300)
    body: str | None = Field(None, max_length=2000)
    components: list[str] = Field(default_factory=list, max_length=20)
