"""Whether a post mentions a watched key: one of its names (the key, its aliases) as a
whole word or as a hashtag, in any case. Words are Unicode-aware (`\\w`), so "ORD" is not
found in "ORDER" nor "Den" in "Denver", while "O'Hare's" and "#OHare" name O'Hare."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def _normal(text: str) -> str:
    return text.translate(_APOSTROPHES).casefold()


def _name_pattern(name: str) -> str:
    """The name as words (white space in it matches any white space or none) and as a
    hashtag (its letters and digits only)."""
    words = [re.escape(part) for part in _normal(name).split()]
    spoken = r"\s*".join(words)
    tag = re.sub(r"\W", "", _normal(name))
    forms = [spoken] + ([f"#{re.escape(tag)}"] if tag else [])
    return "|".join(forms)


def key_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for all `names`, or None when none has a letter or digit."""
    parts = [_name_pattern(n) for n in names if re.search(r"\w", n)]
    if not parts:
        return None
    return re.compile(rf"(?<![\w#])(?:{'|'.join(parts)})(?!\w)")


class Matcher:
    """The watched keys a text mentions, for keys given as key -> aliases."""

    def __init__(self, keys: Mapping[str, Iterable[str]]) -> None:
        self._patterns: dict[str, re.Pattern[str]] = {}
        for key, aliases in keys.items():
            pattern = key_pattern([key, *aliases])
            if pattern is not None:
                self._patterns[key] = pattern

    def keys_in(self, text: str) -> list[str]:
        normal = _normal(text)
        return sorted(k for k, p in self._patterns.items() if p.search(normal))
