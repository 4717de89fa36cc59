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


# What an OS notification says when a callback ends without the customer doing anything,
# and a few minutes before a scheduled one ("reminder").
CALLBACK_TEXT = {
    "en": {
        "completed": ("Callback completed", "Thanks for talking to us."),
        "missed": ("We missed you", "We called but could not reach you. Book another time."),
        "reminder": ("Your callback is soon", "We will call you in a few minutes."),
    },
    "es": {
        "completed": ("Llamada completada", "Gracias por hablar con nosotros."),
        "missed": (
            "No pudimos hablar contigo",
            "Te llamamos pero no contestaste. Pide otra hora.",
        ),
        "reminder": ("Tu llamada es pronto", "Te llamaremos en unos minutos."),
    },
}


def callback_text(status: str, locale: str) -> tuple[str, str] | None:
    return CALLBACK_TEXT.get(locale, CALLBACK_TEXT["en"]).get(status)
