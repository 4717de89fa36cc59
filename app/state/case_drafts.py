"""What the customer typed in a case form or a reply box and has not sent: kept while they
look at something else (a suggested article) and given back when they return, until it is
sent. Per window, in memory; gone when the customer signs out or another signs in.

A draft is a dict of field name to text, so a form with one more field keeps it too."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

NEW_CASE = "new"


def new_case_key(query: Mapping[str, str]) -> str:
    """The draft of the new-case form opened this way: plain (`new`), or opened with
    something already filled in (about an incident, from an article, to follow up a
    closed case), each with a draft of its own."""
    if not query:
        return NEW_CASE
    return f"{NEW_CASE}?{urlencode(sorted(query.items()))}"


def reply_key(case_id: str) -> str:
    """The draft of the reply box of one case (by its local id)."""
    return f"reply:{case_id}"


class CaseDrafts:
    def __init__(self) -> None:
        self._drafts: dict[str, dict[str, str]] = {}
        self.owner: str | None = None

    def get(self, key: str) -> dict[str, str]:
        """The fields of a draft (empty when there is none); a copy."""
        return dict(self._drafts.get(key, {}))

    def field(self, key: str, name: str, default: str = "") -> str:
        return self._drafts.get(key, {}).get(name, default)

    def put(self, key: str, name: str, text: str) -> None:
        """Keep what is typed in one field of a draft."""
        self._drafts.setdefault(key, {})[name] = text

    def clear(self, key: str) -> None:
        """The draft was sent: the next form starts empty."""
        self._drafts.pop(key, None)

    def for_customer(self, customer_id: str | None) -> None:
        """Drafts belong to who typed them: another customer (or none) starts without."""
        if customer_id != self.owner:
            self._drafts.clear()
            self.owner = customer_id
