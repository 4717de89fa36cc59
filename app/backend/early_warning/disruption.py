"""Whether a post reports a disruption: it names one of the disruption terms. Beside each
key's total posts the hub watches a second series, the key's posts that report one, so
that a run of "my flight was cancelled" is seen even when it does not raise the key's
total (people post about a key for many reasons; a storm changes what they say first).

A term matches the words that begin with it, any case, accents ignored ("cancel" finds
cancelled, canceled, cancellation and the Spanish cancelado, cancelación; "retras"
finds retraso, retrasado); white space inside a term matches any white space. The list
is the company's setting (`CARELINE_SOCIAL_DISRUPTION_TERMS`, comma-separated; empty
turns the series off); `DEFAULT_TERMS` is English and Spanish."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

DEFAULT_TERMS: tuple[str, ...] = (
    # English
    "cancel",
    "delay",
    "strand",
    "stuck",
    "grounded",
    "divert",
    "missed connection",
    "rebook",
    # Spanish
    "retras",
    "demora",
    "varad",
    "desviad",
    "perdí la conexión",
    "perdí mi conexión",
    "conexión perdida",
)


def _folded(text: str) -> str:
    """Casefolded, accents dropped: "Cancelación" and "cancelacion" read the same."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class DisruptionTerms:
    """Whether a text names one of `terms` (see the module's docstring)."""

    def __init__(self, terms: Iterable[str]) -> None:
        parts = [
            r"\s+".join(re.escape(word) for word in _folded(term).split())
            for term in terms
            if re.search(r"\w", term)
        ]
        self._pattern = re.compile(rf"(?<!\w)(?:{'|'.join(parts)})") if parts else None

    def __bool__(self) -> bool:
        return self._pattern is not None

    def named_in(self, text: str) -> bool:
        return self._pattern is not None and self._pattern.search(_folded(text)) is not None
