"""The words of the help centre in one language, with their document counts: what typo
correction, word splitting and word weights draw on; and a query word carried over to
another language's articles."""

from __future__ import annotations

import bisect
import math
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from app.store.search_words import bridge, fold, synonyms

# A word as the index's unicode61 tokenizer sees one: letters and digits.
_WORD = re.compile(r"[^\W_]+")


def damerau_levenshtein(a: str, b: str, limit: int) -> int:
    """Edit distance with adjacent transpositions; stops early past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Vocabulary:
    """The index's words with their document counts, and a symmetric-delete map that
    finds words within two edits of a misspelling without scanning them all."""

    def __init__(self, counts: dict[str, int], documents: int = 0) -> None:
        self.counts = counts
        self.documents = max(documents, *counts.values(), 1)
        self.sorted_words = sorted(counts)
        self.by_delete: dict[str, list[str]] = defaultdict(list)
        for word in counts:
            if len(word) >= 3:
                for variant in _deletes(word) | {word}:
                    self.by_delete[variant].append(word)

    def has_prefix(self, prefix: str) -> bool:
        at = bisect.bisect_left(self.sorted_words, prefix)
        return at < len(self.sorted_words) and self.sorted_words[at].startswith(prefix)

    def corrections(self, term: str, limit: int = 2) -> list[str]:
        if term in self.counts or len(term) < 3 or term.isdigit():
            return []
        max_distance = 1 if len(term) <= 4 else 2
        candidates = {w for v in _deletes(term) | {term} for w in self.by_delete.get(v, ())}
        scored = []
        for word in candidates:
            distance = damerau_levenshtein(term, word, max_distance)
            if distance <= max_distance:
                scored.append((distance, -self.counts[word], word))
        return [word for _, _, word in sorted(scored)[:limit]]

    def weight(self, words: Sequence[str]) -> float:
        """How much finding one of `words` says (inverse document frequency): a word in
        few articles says more than one in most. An unknown word weighs like a rare one."""
        found = max((self.counts.get(w, 0) for w in words), default=0) or 1
        return math.log(1 + self.documents / found)

    def split(self, term: str) -> tuple[str, str] | None:
        """An unknown word as two known ones written together ('preorder' -> 'pre',
        'order'), the commonest such pair; None when there is none."""
        if term in self.counts or len(term) < 6:
            return None
        pairs = [
            (min(self.counts[term[:i]], self.counts[term[i:]]), term[:i], term[i:])
            for i in range(3, len(term) - 2)
            if term[:i] in self.counts and term[i:] in self.counts
        ]
        return max(pairs)[1:] if pairs else None


def read_vocabulary(conn: sqlite3.Connection, locale: str) -> Vocabulary:
    """The vocabulary of the articles in `locale` (the index's own vocabulary holds every
    language at once, so a Spanish typo would be "corrected" to an English word)."""
    counts: Counter[str] = Counter()
    documents = 0
    rows = conn.execute("SELECT title, tags, body FROM articles WHERE locale = ?", (locale,))
    for title, tags, body in rows:
        documents += 1
        counts.update(set(_WORD.findall(fold(f"{title}\n{tags}\n{body}"))))
    return Vocabulary(dict(counts), documents)


def bridged(
    term: str,
    locale: str,
    target: str,
    own: Vocabulary,
    vocabulary: Vocabulary,
    typed_prefix: bool,
) -> tuple[list[str], list[str]]:
    """A word typed in `locale`'s language, to look for among articles in `target`'s: its
    translations (of the word, its typo corrections in its own language and its synonyms
    there), else its corrections among the target's words (a word of that language typed
    wrong); and the target language's synonyms of those translations."""
    own_words = [term, *([] if typed_prefix else own.corrections(term))]
    own_words += [s for w in list(own_words) for s in synonyms(locale, w)]
    translated = _unique(t for w in own_words for t in bridge(locale, target, w))
    if not translated and term not in own.counts and not typed_prefix:
        translated = vocabulary.corrections(term)
    related = _unique(s for t in translated for s in synonyms(target, t))
    return translated, related


def _unique(words: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(words))
