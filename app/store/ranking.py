"""Re-ranking and snippets for search candidates, in plain Python over a few dozen rows.

FTS5's bm25 normalizes by the whole article's length, so a short title that says exactly
what the customer typed gets no credit for being short. Re-ranking the best candidates by
how much of the title (and how many of the tags) the query covers restores that, the way
per-field BM25F does."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from app.store.search_words import STOP_WORDS, fold

STEM_LENGTH = 5
TITLE_WEIGHT = 1.0
TAG_WEIGHT = 1.0
SNIPPET_WORDS = 18
_TOKEN = re.compile(r"\S+")


def stem(word: str) -> str:
    """A crude stem (the first letters): enough to match 'choose'/'choosing', 'seat'/'seats'."""
    return word[:STEM_LENGTH]


def content_words(text: str) -> list[str]:
    """Folded words of `text` that carry meaning (no stop words, no numbers)."""
    return [w for w in re.findall(r"\w+", fold(text)) if w not in STOP_WORDS and not w.isdigit()]


@dataclass(frozen=True)
class Candidate:
    key: str
    relevance: float  # the index's bm25 relative to the best of its query: 1.0 is the best
    title_words: Sequence[str]
    tag_words: Sequence[str]


def rerank(candidates: Sequence[Candidate], query_stems: Sequence[set[str]]) -> list[str]:
    """Keys best first: the index's relevance, plus how much of the title is the query
    (times how many query words it holds), plus how many query words the tags hold."""
    if not candidates or not query_stems:
        return [c.key for c in candidates]
    scored = []
    for c in candidates:
        title = [stem(w) for w in c.title_words]
        tags = {stem(w) for w in c.tag_words}
        in_title = sum(1 for alts in query_stems if alts & set(title))
        title_share = (
            sum(1 for w in title if any(w in a for a in query_stems)) / len(title) if title else 0.0
        )
        in_tags = sum(1 for alts in query_stems if alts & tags)
        score = (
            c.relevance
            + TITLE_WEIGHT * title_share * in_title / len(query_stems)
            + TAG_WEIGHT * in_tags / len(query_stems)
        )
        scored.append((score, c.key))
    scored.sort(key=lambda pair: -pair[0])
    return [key for _, key in scored]


def snippet(body: str, stems: set[str], prefix: str | None = None) -> list[tuple[str, bool]]:
    """The passage of `body` holding the most query words, with those words marked."""
    plain = re.sub(r"\(/help/[^)]*\)|[#*_`>\[\]]", "", body)
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(plain)]
    if not spans:
        return []
    starts = sorted(stems | ({prefix} if prefix else set()), key=len, reverse=True)
    marks = [False] * len(spans)
    if starts:
        # Words beginning with a query stem, found in one pass over the folded text.
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, starts)) + ")")
        hit_at = [m.start() for m in pattern.finditer(fold_same_length(plain))]
        token = 0
        for position in hit_at:
            while token < len(spans) and spans[token][1] <= position:
                token += 1
            if token < len(spans):
                marks[token] = True
    width = min(SNIPPET_WORDS, len(spans))
    window = sum(marks[:width])
    best_count, best_start = window, 0
    for start in range(1, len(spans) - width + 1):
        window += marks[start + width - 1] - marks[start - 1]
        if window > best_count:
            best_count, best_start = window, start
    parts: list[tuple[str, bool]] = [("…", False)] if best_start else []
    for index in range(best_start, best_start + width):
        a, b = spans[index]
        parts.append((plain[a:b], marks[index]))
        parts.append((" ", False))
    parts.pop()
    if best_start + width < len(spans):
        parts.append(("…", False))
    return _merge(parts)


def fold_same_length(text: str) -> str:
    """`fold` that keeps every character in place (accented Latin letters become their
    base letter, lower case), so positions in the result are positions in `text`."""
    return text.translate(_fold_table())


@functools.cache
def _fold_table() -> dict[int, str]:
    table = {}
    for code in range(0x250):
        char = chr(code)
        base = unicodedata.normalize("NFKD", char)[:1].lower()[:1] or char
        if base != char:
            table[code] = base
    return table


def _merge(parts: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Join neighbouring plain pieces: [('a', F), (' ', F)] -> [('a ', F)]."""
    merged: list[tuple[str, bool]] = []
    for text, marked in parts:
        if merged and not marked and not merged[-1][1]:
            merged[-1] = (merged[-1][0] + text, False)
        else:
            merged.append((text, marked))
    return merged
