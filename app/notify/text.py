"""Notification text made safe: any content (quotes, newlines, control characters, emoji,
5,000 characters) becomes one clean, short line."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

TITLE_LIMIT = 64
BODY_LIMIT = 240


def safe_text(text: str, limit: int) -> str:
    """Printable text on one line, at most `limit` characters (an ellipsis marks a cut,
    which never splits a character made of several code points)."""
    cleaned = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch != "\u200d" else ch
        for ch in unicodedata.normalize("NFC", text)
    )
    line = " ".join(cleaned.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    # Do not leave half of a joined emoji or an accent without its letter.
    while cut and (cut[-1] == "\u200d" or unicodedata.combining(cut[-1])):
        cut = cut[:-1]
    return cut.rstrip() + "…"


@dataclass(frozen=True)
class Notice:
    """One update to show: `key` makes it once-only, `route` is where tapping leads."""

    key: str
    title: str
    body: str
    route: str

    @classmethod
    def make(cls, *, key: str, title: str, body: str, route: str) -> Notice:
        return cls(key, safe_text(title, TITLE_LIMIT), safe_text(body, BODY_LIMIT), route)
