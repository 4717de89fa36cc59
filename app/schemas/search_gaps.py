"""Searches that found nothing, as the app counts them and the hub keeps them: the one rule
for what such a search is kept as. Nothing private is kept: a query that looks like an
email address or holds a long number (a phone, card or booking number) is dropped, and
the rest is lowercased, its spaces tidied and its length capped."""

from __future__ import annotations

import re

# The longest query kept (longer ones are cut: what matters is how they start).
GAP_QUERY_MAX = 100
# Queries one device sends at once (`SearchGapsIn.counts`), the most counted first.
GAPS_PER_REQUEST = 200
# The count one device may send for one query at once.
GAP_COUNT_MAX = 10_000

_EMAIL = re.compile(r"[^\s@]+@[^\s@]+")
# Digits split by spaces, dashes, dots or brackets are read as one number ("312 555-0199").
_DIGIT_SEPARATORS = re.compile(r"(?<=\d)[\s().+/-]+(?=\d)")
_LONG_NUMBER = re.compile(r"\d{6,}")


def gap_query(text: str) -> str | None:
    """`text` as a search gap is kept, or None when it is empty or looks private."""
    tidy = " ".join(text.split()).lower()
    if not tidy or _EMAIL.search(tidy) or _LONG_NUMBER.search(_DIGIT_SEPARATORS.sub("", tidy)):
        return None
    return tidy[:GAP_QUERY_MAX].rstrip() or None
