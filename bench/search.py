"""Help-centre search speed and accuracy, Careline's FTS5 search against Whoosh on the same
corpus and queries. Prints p50 / p95 per query and top-3 accuracy for both, then top-1 and
top-3 on a public help centre against plain FTS5 and Whoosh (bench/search_public.py)."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from app.schemas import Article
from app.store import open_public
from bench.corpus import corpus
from bench.search_public import report, whoosh_engine
from tests.store.kb_fixture import LABELLED, load_articles

GOALS = {10_000: 5.0, 100_000: 20.0}
# Extra queries for timing: typing prefixes, typos, long and odd input.
TIMING = [q for q, _ in LABELLED] + [
    "bag",
    "bagg",
    "baggag",
    "refun",
    "cancelation polic",
    "wheelchar",
    "C++ AND -x",
    "x" * 500,
    "🙂",
    "",
]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return statistics.median(ordered), p95


def accuracy(search: Callable[[str], list[str]]) -> float:
    hits = 0
    for query, expected in LABELLED:
        top = search(query)
        hits += bool(expected & set(top))
    return hits / len(LABELLED)


def bench_careline(articles: list[Article], rounds: int) -> tuple[float, float, float, float]:
    store = open_public(None, memory=True)
    started = time.perf_counter()
    load_articles(store, articles)
    store.search.search("warm up")
    build = time.perf_counter() - started

    def top3(query: str) -> list[str]:
        return [h.slug for h in store.search.search(query, limit=3)]

    samples = []
    for _ in range(rounds):
        for query in TIMING:
            t = time.perf_counter()
            store.search.search(query, limit=10)
            samples.append((time.perf_counter() - t) * 1000)
    p50, p95 = percentiles(samples)
    return p50, p95, accuracy(top3), build


def bench_whoosh(articles: list[Article], rounds: int) -> tuple[float, float, float, float]:
    run, build = whoosh_engine(articles)
    samples = []
    for _ in range(rounds):
        for query in TIMING:
            t = time.perf_counter()
            run(query, 10)
            samples.append((time.perf_counter() - t) * 1000)
    p50, p95 = percentiles(samples)
    return p50, p95, accuracy(lambda q: run(q, 3)), build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--without-whoosh", action="store_true", help="Careline only (quick)")
    parser.add_argument(
        "--public-only", action="store_true", help="only the public help centre's quality"
    )
    args = parser.parse_args()
    report(with_whoosh=not args.without_whoosh)
    if args.public_only:
        return
    print(
        f"{len(TIMING)} queries x {args.rounds} rounds; accuracy = expected article in top 3 "
        f"for {len(LABELLED)} labelled queries\n"
    )
    for size in args.sizes:
        articles = corpus(size)
        ours = bench_careline(articles, args.rounds)
        theirs = (
            (0.0, 0.0, 0.0, 0.0) if args.without_whoosh else bench_whoosh(articles, args.rounds)
        )
        goal = GOALS.get(size)
        print(f"== {size:,} articles")
        for name, (p50, p95, acc, build) in (("careline", ours), ("whoosh", theirs)):
            print(
                f"  {name:<9} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  top-3 {acc:5.1%}  "
                f"(index built in {build:.1f} s)"
            )
        ratio = theirs[1] / ours[1] if ours[1] else float("inf")
        verdict = "meets" if goal and ours[1] <= goal else "MISSES"
        print(
            f"  goal p95 <= {goal} ms: {verdict}; p95 {ratio:.1f}x faster than Whoosh "
            f"(goal >= 10x) at {'equal or better' if ours[2] >= theirs[2] else 'LOWER'} "
            "accuracy\n"
        )


if __name__ == "__main__":
    main()
