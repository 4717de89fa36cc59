"""Search quality on a help centre nobody here wrote (tests/store/public_kb): a floor under
how often the right article comes first and among the first three, typos included. The
floors are what beats plain SQLite FTS5 and Whoosh on the same queries (bench/search.py:
at best 39 first and 45 in the first three of 48, 10 of 12 typos)."""

from __future__ import annotations

from app.store import open_public
from tests.store.kb_fixture import load_articles
from tests.store.public_kb import public_articles, quality
from tests.store.public_kb.queries import QUERIES, TYPOS

TOP1_FLOOR = 40
TOP3_FLOOR = 46
TYPOS_FLOOR = 11


def test_quality_on_a_public_help_centre() -> None:
    assert len(QUERIES) >= 40 and len(TYPOS) >= 10
    store = open_public(None, memory=True)
    load_articles(store, public_articles())
    try:
        found = quality(lambda q, n: [h.slug for h in store.search.search(q, limit=n)])
    finally:
        store.close()
    assert found.top3 >= TOP3_FLOOR, found
    assert found.top1 >= TOP1_FLOOR, found
    assert found.typos_top3 >= TYPOS_FLOOR, found
