"""Reading posts from JSON lines (`social import`): every good line is kept, every bad
one reported with its line number, and nothing else lost."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import ValidationError

from app.schemas.warnings import PostIn, printable

# The longest line read (a post's text is refused above `POST_TEXT_ACCEPTED` anyway).
LINE_LIMIT = 100_000


@dataclass
class Parsed:
    posts: list[PostIn] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def _reason(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "line"
    return f"{where}: {first['msg']}"


def parse_lines(lines: Iterable[str]) -> Parsed:
    """Posts of JSON lines (blank lines skipped), and (line number, reason) for the rest."""
    parsed = Parsed()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if len(line) > LINE_LIMIT:
            parsed.errors.append((number, f"longer than {LINE_LIMIT} characters"))
            continue
        try:
            parsed.posts.append(PostIn.model_validate(json.loads(line)))
        except json.JSONDecodeError as error:
            parsed.errors.append((number, f"not JSON ({error.msg})"))
        except ValidationError as error:
            parsed.errors.append((number, printable(_reason(error), 200)))
    return parsed
