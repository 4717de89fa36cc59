"""A week of plausible public posts for the demo company, so that early warning has a
baseline to learn and a burst to find: travellers' chatter about the watched keys with a
daily rhythm (busy days, quiet nights), and the storm at Chicago O'Hare showing up in posts
two hours before the demo's incident was published, as it does on a real storm day.

The posts are made up (source `demo`, no authors), the same seed gives the same posts, and
they go through the same store and detection as any import."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import Connection

from app.backend.demo_history import poisson
from app.backend.early_warning import store
from app.schemas.warnings import PostIn

DAYS = 7
SEED = 20
BIN = timedelta(minutes=10)
# Posts per ten minutes at the busiest hour, per watched key (its name or an alias).
PEAKS = {"ORD": 1.2, "DEN": 0.8, "BOS": 0.8, "baggage": 0.6, "check-in": 0.4, "website-app": 0.5}
# The share of the peak by hour of the day (UTC is close enough for made-up chatter).
BY_HOUR = [0.15] * 6 + [0.5] * 3 + [1.0] * 9 + [0.7] * 3 + [0.35] * 3
CALM = (
    "Flying out of {name} this morning, coffee first",
    "Long line at security in {name} but moving",
    "Anyone know if the lounge at {name} is open?",
    "Landed at {name}, on time for once",
    "{name} again. Third trip this month",
)
STORM = (
    "Stuck at #OHare, flight cancelled, rebooked for tomorrow??",
    "Snow at O'Hare, everything delayed, nobody at the desk",
    "ORD is a mess right now. Cancelled. Again.",
    "Chicago storm: 4 hours on the tarmac and counting",
    "Anyone else stranded at O'Hare tonight? No hotel vouchers yet",
)
# The storm in posts: starts this long before the demo's incident was published (9 h
# before loading), grows to this many times the busiest hour, and lasts this long.
STORM_STARTS = timedelta(hours=11)
STORM_PEAK = 12.0
STORM_LASTS = timedelta(hours=6)


def _bins(start: datetime, end: datetime) -> Iterator[datetime]:
    moment = start
    while moment < end:
        yield moment
        moment += BIN


def _storm_rate(moment: datetime, at: datetime) -> float:
    into = moment - (at - STORM_STARTS)
    if not timedelta(0) <= into < STORM_LASTS:
        return 0.0
    rising = min(1.0, into / timedelta(minutes=30))  # half an hour to build up, then it stays
    return STORM_PEAK * PEAKS["ORD"] * rising


def demo_posts(at: datetime) -> list[PostIn]:
    """The demo's posts for the `DAYS` days before `at`, oldest first."""
    rng = random.Random(SEED)
    start = (at - timedelta(days=DAYS)).replace(minute=0, second=0, microsecond=0)
    posts: list[PostIn] = []
    for moment in _bins(start, at - BIN):
        for key, peak in PEAKS.items():
            for _ in range(poisson(rng, peak * BY_HOUR[moment.hour])):
                text = rng.choice(CALM).format(name=key if key.isupper() else f"the {key} desk")
                posts.append(_post(rng, moment, text, len(posts)))
        for _ in range(poisson(rng, _storm_rate(moment, at))):
            posts.append(_post(rng, moment, rng.choice(STORM), len(posts)))
    return posts


def _post(rng: random.Random, bin_start: datetime, text: str, number: int) -> PostIn:
    created = bin_start + timedelta(seconds=rng.randrange(int(BIN.total_seconds())))
    return PostIn(id=f"demo-{number}", created_at=created, text=text, source="demo")


def load_posts(conn: Connection, at: datetime) -> tuple[int, int]:
    """Store the demo's posts and detect their bursts; (posts added, warnings opened)."""
    added = store.add_posts(conn, demo_posts(at))
    return len(added), store.detect(conn)
