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

from app.store.plain_text import plain_text, without_link_list
from app.store.search_words import fold, stop_words

STEM_LENGTH = 5
TITLE_WEIGHT = 1.0
TAG_WEIGHT = 1.0
SNIPPET_WORDS = 18
COVERAGE_WEIGHT = 1.0
PHRASE_WEIGHT = 0.5
HEADING_WEIGHT = 0.3
_TOKEN = re.compile(r"\S+")
_FOLDABLE = re.compile("[\u00c0-\u024f]")  # letters `_fold_table` folds besides A-Z
_SPACES = bytes(c if chr(c).isalnum() or c >= 0x80 else 0x20 for c in range(256))
_HEADING = re.compile(r"^#{1,6}\s+(.*)$", re.MULTILINE)
_SUFFIXES = ("ing", "ies", "ed", "es", "er", "ly", "s")
_UNDOUBLE = ("ing", "ed", "er")


def stem(word: str) -> str:
    """A light stem: inflections off ('takes', 'shipped', 'longer' -> 'tak', 'ship', 'long'),
    then the first letters ('cancellation'/'cancelled', 'choose'/'choosing')."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if suffix in _UNDOUBLE and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word[:STEM_LENGTH]


def content_words(text: str, locale: str = "en") -> list[str]:
    """Folded words of `text` that carry meaning in `locale`'s language (no stop words, no
    numbers)."""
    ignored = stop_words(locale)
    return [w for w in re.findall(r"\w+", fold(text)) if w not in ignored and not w.isdigit()]


@dataclass(frozen=True)
class Candidate:
    key: str
    relevance: float  # the index's bm25 relative to the best of its query: 1.0 is the best
    title_words: Sequence[str]
    tag_words: Sequence[str]
    text: str = ""  # every word of title, tags and body, folded, each between spaces
    headings: str = ""  # the words of the body's Markdown headings, the same way


def candidate(
    key: str, relevance: float, title: str, tags: str, body: str, locale: str = "en"
) -> Candidate:
    return Candidate(
        key=key,
        relevance=relevance,
        title_words=content_words(title, locale),
        tag_words=content_words(tags, locale),
        text=spaced(f"{title} {tags} {body}"),
        headings=spaced(" ".join(_HEADING.findall(body))),
    )


def spaced(text: str) -> str:
    """The folded words of `text` between spaces, for fast substring tests: " sign up "."""
    # Bytes, because bytes.translate is a table lookup; bytes past ASCII are kept.
    return f" {fold_same_length(text).encode().translate(_SPACES).decode()} "


def holds(text: str, stems: set[str]) -> bool:
    """Whether a word of `spaced` text begins with one of `stems` (a stem shorter than
    three letters must be the whole word), as the snippet marks words."""
    return any((f" {s}" if len(s) >= 3 else f" {s} ") in text for s in stems)


def rerank(
    candidates: Sequence[Candidate],
    query_stems: Sequence[set[str]],
    weights: Sequence[float] | None = None,
    pairs: Sequence[str] = (),
) -> list[str]:
    """Keys best first: the index's relevance, plus how much of the title is the query
    (times how much of the query it holds), plus how much of the query the tags, the
    headings and the whole article hold, plus how many of the query's neighbouring word
    `pairs` it holds side by side. Query words count by their `weights` (rarer more)."""
    if not candidates or not query_stems:
        return [c.key for c in candidates]
    weights = list(weights) if weights else [1.0] * len(query_stems)
    total = sum(weights) or 1.0

    def share(found: list[bool]) -> float:
        """The weighted share of the query's words found (one flag per word)."""
        return sum(w for hit, w in zip(found, weights, strict=True) if hit) / total

    scored = []
    for c in candidates:
        title = [stem(w) for w in c.title_words]
        in_title, in_tags = set(title), {stem(w) for w in c.tag_words}
        title_share = (
            sum(1 for w in title if any(w in a for a in query_stems)) / len(title) if title else 0.0
        )
        phrases = sum(f" {p} " in c.text for p in pairs) / len(pairs) if pairs else 0.0
        score = (
            c.relevance
            + TITLE_WEIGHT * title_share * share([bool(a & in_title) for a in query_stems])
            + TAG_WEIGHT * share([bool(a & in_tags) for a in query_stems])
            + COVERAGE_WEIGHT * share([holds(c.text, a) for a in query_stems])
            + HEADING_WEIGHT * share([holds(c.headings, a) for a in query_stems])
            + PHRASE_WEIGHT * phrases
        )
        scored.append((score, c.key))
    scored.sort(key=lambda pair: -pair[0])
    return [key for _, key in scored]


def snippet(body: str, stems: set[str], prefix: str | None = None) -> list[tuple[str, bool]]:
    """The passage of `body` (as plain text, see `plain_text`, without a closing list of
    links such as "Related articles") holding the most query words, with those words
    marked."""
    plain = _plain(body)
    spans = [m.span() for m in _TOKEN.finditer(plain)]
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


@functools.lru_cache(maxsize=256)
def _plain(body: str) -> str:
    """`plain_text` of an article, without the list of links it ends with, kept for the
    next keystroke, which shows it again."""
    return plain_text(without_link_list(body))


def fold_same_length(text: str) -> str:
    """`fold` that keeps every character in place (accented Latin letters become their
    base letter, lower case), so positions in the result are positions in `text`."""
    if text.isascii() or not _FOLDABLE.search(text):  # the common case, much faster
        return text.lower()
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
