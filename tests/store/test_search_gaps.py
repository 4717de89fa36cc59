"""Searches that found nothing, counted on the device (app.store.search_gaps): what is
kept of a query, and the batches that carry the counts to the hub."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.schemas.search_gaps import GAP_QUERY_MAX, GAPS_PER_REQUEST, gap_query
from app.store import PublicStore, open_public
from app.store import search_gaps as gaps_module


@pytest.fixture
def public() -> Iterator[PublicStore]:
    store = open_public(None, memory=True)
    yield store
    store.close()


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Lost   BAG ", "lost bag"),
        ("Équipage perdu", "équipage perdu"),
        ("flight NW123", "flight nw123"),
        ("gate 12345", "gate 12345"),
        ("x" * 300, "x" * GAP_QUERY_MAX),
        ("", None),
        ("   ", None),
        ("alice@example.com", None),
        ("write to me: bob@mail please", None),
        ("+1 (312) 555-0199", None),
        ("card 4242 4242 4242 4242", None),
        ("booking 123456", None),
        ("12.34.56", None),
    ],
)
def test_what_is_kept_of_a_query(typed: str, kept: str | None) -> None:
    assert gap_query(typed) == kept


def test_counts_are_kept_per_query_and_language(public: PublicStore) -> None:
    assert public.gaps.note("Snow chains", "en")
    assert public.gaps.note("snow   chains ", "en")
    assert public.gaps.note("snow chains", "es")
    assert not public.gaps.note("call me on 312 555 0199", "en")
    assert not public.gaps.note("  ", "en")
    assert public.gaps.counted() == {("snow chains", "en"): 2, ("snow chains", "es"): 1}


def test_a_batch_keeps_its_key_until_the_hub_has_it(public: PublicStore) -> None:
    public.gaps.note("wifi", "en")
    public.gaps.note("wifi", "en")
    public.gaps.note("lounge", "es")
    first = public.gaps.outgoing()
    assert [(b.locale, b.counts) for b in first] == [("en", {"wifi": 2}), ("es", {"lounge": 1})]
    assert public.gaps.counted() == {}, "taken out of the counts"
    # Counted while the batch is on its way (or unanswered): it waits for the next one.
    public.gaps.note("wifi", "en")
    again = public.gaps.outgoing()
    assert [(b.key, b.counts) for b in again] == [(b.key, b.counts) for b in first]
    assert public.gaps.counted() == {("wifi", "en"): 1}
    public.gaps.sent(first[0].key)
    public.gaps.sent(first[1].key)
    [following] = public.gaps.outgoing()
    assert following.key not in {b.key for b in first}
    assert (following.locale, following.counts) == ("en", {"wifi": 1})
    public.gaps.sent(following.key)
    assert public.gaps.outgoing() == [] and public.gaps.counted() == {}


def test_a_batch_holds_the_most_counted_and_the_device_keeps_a_bounded_number(
    public: PublicStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gaps_module, "MAX_KEPT", GAPS_PER_REQUEST + 5)
    for n in range(GAPS_PER_REQUEST + 10):
        public.gaps.note(f"query {n}", "en")
    public.gaps.note("query 7", "en")
    assert len(public.gaps.counted()) == GAPS_PER_REQUEST + 5, "no new queries past the cap"
    public.gaps.note("query 3", "en")  # a query already kept still counts
    [batch] = public.gaps.outgoing()
    assert len(batch.counts) == GAPS_PER_REQUEST
    assert list(batch.counts.items())[:2] == [("query 3", 2), ("query 7", 2)]
    assert len(public.gaps.counted()) == 5, "the rest go in the next batch"
