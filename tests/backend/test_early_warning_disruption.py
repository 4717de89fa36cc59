"""Early warning's disruption series: which posts report a disruption, and bursts of them
on synthetic series with known answers (a run of cancellations inside a steady total is
found, a steady rate of delay complaints is not, replaying gives the same warnings), then
the same through the hub's store (real SQLite or PostgreSQL) with its settings."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection, delete

from app.backend.db import Database
from app.backend.db.tables import social_warnings
from app.backend.early_warning import store
from app.backend.early_warning.bursts import DISRUPTION, TOTAL, Burst, find_bursts, one_per_event
from app.backend.early_warning.disruption import DEFAULT_TERMS, DisruptionTerms
from app.backend.early_warning.store import DEFAULT_DETECTION, SAME_BURST, Detection
from app.backend.settings_env import load_settings
from app.schemas.warnings import PostIn
from tests.backend.support import Run

TERMS = DisruptionTerms(DEFAULT_TERMS)


@pytest.mark.parametrize(
    "text",
    [
        "@united flight Cancelled Flightled again",
        "my flight was canceled",
        "CANCELLATION number 3 this week",
        "#delayed 4 hours",
        "stranded in Denver",
        "stuck on the tarmac",
        "whole fleet grounded",
        "we got diverted to Austin",
        "missed  my connection? no: missed connection in DFW",
        "they rebooked me on Tuesday",
        "vuelo cancelado",
        "la cancelación de mi vuelo",
        "cancelacion sin aviso",
        "retraso de 3 horas",
        "vuelo demorado",
        "varados en Bogotá",
        "perdí la conexión en Madrid",
        "perdi mi conexion",
    ],
)
def test_a_post_reporting_a_disruption_is_seen(text: str) -> None:
    assert TERMS.named_in(text)


@pytest.mark.parametrize(
    "text",
    ["great crew, thanks!", "relay the message", "uncancellable fare", "#NoDelays lol", ""],
)
def test_other_posts_are_not(text: str) -> None:
    assert not TERMS.named_in(text)


def test_no_terms_turn_the_series_off() -> None:
    assert not DisruptionTerms([]) and not DisruptionTerms([" ", "!"])
    assert not DisruptionTerms([]).named_in("cancelled")


START = datetime(2015, 2, 16, tzinfo=UTC)
BIN = timedelta(minutes=10)
DAY = timedelta(days=1)
DAYS = 6 * 24 * 3  # three days of 10-minute bins


def _times(rates: list[float], rng: random.Random) -> list[datetime]:
    """Posts with Poisson counts per bin at these rates, spread in each bin."""
    times = []
    for i, rate in enumerate(rates):
        count, total = 0, rng.expovariate(1)
        while total < rate:
            count += 1
            total += rng.expovariate(1)
        times += [START + BIN * i + timedelta(seconds=rng.uniform(0, 599)) for _ in range(count)]
    return sorted(times)


def _warnings(total: list[float], disrupted: list[float], seed: int) -> list[Burst]:
    """What the hub opens for one key: `disrupted` posts a bin report a disruption, the
    other `total - disrupted` do not; both series tested, one warning an event."""
    rng = random.Random(seed)
    reports = _times(disrupted, rng)
    other = _times([t - d for t, d in zip(total, disrupted, strict=True)], rng)
    end = START + BIN * len(total)
    found = find_bursts({"ORD": sorted(reports + other)}, START, end, DEFAULT_DETECTION.params)
    found += find_bursts(
        {"ORD": reports}, START, end, DEFAULT_DETECTION.disruption_params, DISRUPTION
    )
    return one_per_event(found, SAME_BURST)


STORM = 6 * 24 * 2 + 6 * 14  # day three, 14:00


def _cancellations_in_a_steady_total() -> tuple[list[float], list[float]]:
    """Six posts a bin all along; for two hours one in two reports a cancellation
    instead of one in twenty: the total does not move, what people say does."""
    total, disrupted = [6.0] * DAYS, [0.3] * DAYS
    disrupted[STORM : STORM + 12] = [3.0] * 12
    return total, disrupted


def test_a_cancellation_burst_inside_a_steady_total_is_found() -> None:
    total, disrupted = _cancellations_in_a_steady_total()
    for seed in range(5):
        after_day_one = [
            b for b in _warnings(total, disrupted, seed) if b.started_at >= START + DAY
        ]
        assert [(b.key, b.series) for b in after_day_one] == [("ORD", DISRUPTION)]
        [burst] = after_day_one
        # Within the storm's first hour, told within two (the goal).
        assert (STORM - 2) * BIN <= burst.started_at - START <= (STORM + 6) * BIN
        assert burst.detected_at - START <= (STORM + 12) * BIN
        # The total alone sees nothing.
        end = START + BIN * DAYS
        rng = random.Random(seed)
        steady = sorted(_times(disrupted, rng) + _times([6 - d for d in disrupted], rng))
        later = find_bursts({"ORD": steady}, START, end, DEFAULT_DETECTION.params)
        assert [b for b in later if b.started_at >= START + DAY] == []


def test_a_steady_rate_of_delay_complaints_gives_no_warning() -> None:
    """One post in three complains of a delay, every bin for three days: that is the
    key's normal, not a storm."""
    for seed in range(5):
        assert _warnings([6.0] * DAYS, [2.0] * DAYS, seed) == []


def test_one_event_seen_by_both_series_is_one_warning_the_first_detected() -> None:
    total, disrupted = [3.0] * DAYS, [0.3] * DAYS
    total[STORM : STORM + 12] = [25.0] * 12
    disrupted[STORM : STORM + 12] = [10.0] * 12
    warned = [b for b in _warnings(total, disrupted, 4) if b.started_at >= START + DAY]
    assert [(b.series, b.started_at) for b in warned] == [(TOTAL, START + BIN * STORM)]


def test_replaying_the_same_posts_gives_the_same_warnings() -> None:
    total, disrupted = _cancellations_in_a_steady_total()
    assert _warnings(total, disrupted, 8) == _warnings(total, disrupted, 8)


def _posts(total: list[float], disrupted: list[float], seed: int) -> list[PostIn]:
    rng = random.Random(seed)
    reports = _times(disrupted, rng)
    other = _times([t - d for t, d in zip(total, disrupted, strict=True)], rng)
    posts = [
        PostIn(id=f"r{i}", created_at=moment, text=f"Flight {i} out of O'Hare cancelled")
        for i, moment in enumerate(reports)
    ]
    posts += [
        PostIn(id=f"o{i}", created_at=moment, text=f"At ORD, gate {i}, coffee is fine")
        for i, moment in enumerate(other)
    ]
    return posts


def _storm_posts() -> list[PostIn]:
    """A day and a half of posts about ORD, ending two hours into the cancellations."""
    total, disrupted = _cancellations_in_a_steady_total()
    return _posts(total[: STORM + 12], disrupted[: STORM + 12], 1)


def test_the_store_opens_a_disruption_warning_once_with_reports_as_samples(db: Database) -> None:
    with db.write() as conn:
        store.watch(conn, "ORD", ["O'Hare"])
        store.add_posts(conn, _storm_posts())
        assert store.detect(conn, detection=Detection(DEFAULT_DETECTION.params, ())) == 0
        assert store.detect(conn) == 1
        assert store.detect(conn) == 0  # replayed: nothing new
        [warning] = store.list_warnings(conn)
    assert warning.series == DISRUPTION and warning.samples
    assert all("cancelled" in sample.text for sample in warning.samples)


def _opened(conn: Connection) -> list[tuple[object, ...]]:
    return [
        (w.key, w.series, w.started_at, w.detected_at, w.count, w.baseline)
        for w in store.list_warnings(conn)
    ]


def test_watching_live_opens_what_a_replay_opens(db: Database) -> None:
    """Posts arriving half an hour at a time, each batch detected as the webhook does,
    open the warnings one replay of them all opens."""
    posts = sorted(_storm_posts(), key=lambda p: p.created_at)
    batches: dict[int, list[PostIn]] = {}
    for post in posts:
        batches.setdefault(int((post.created_at - START) / (3 * BIN)), []).append(post)
    with db.write() as conn:
        store.watch(conn, "ORD", ["O'Hare"])
        for batch in batches.values():
            added = store.add_posts(conn, batch)
            store.detect(conn, since=min(p.created_at for p in added))
        live = _opened(conn)
        conn.execute(delete(social_warnings))
        assert store.detect(conn) == len(live)
        replayed = _opened(conn)
    assert live == replayed and [w[1] for w in live] == [DISRUPTION]


def test_the_cli_says_a_warning_counts_reports_of_a_disruption(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    lines = [post.model_dump_json(include={"id", "created_at", "text"}) for post in _storm_posts()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run("social watch", "ORD", "--alias", "O'Hare")
    assert "1 warnings opened" in run("social import", str(path))[1]
    code, out = run("social warnings")
    assert code == 0 and "posts reporting a disruption vs" in out
    assert "cancelled" in out.splitlines()[1]  # the first sample is a report


def test_the_terms_are_a_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert store.detection_of(load_settings(data_dir=tmp_path)).terms == DEFAULT_TERMS
    monkeypatch.setenv("CARELINE_SOCIAL_DISRUPTION_TERMS", "annul, late ,")
    assert store.detection_of(load_settings(data_dir=tmp_path)).terms == ("annul", "late")
    monkeypatch.setenv("CARELINE_SOCIAL_DISRUPTION_TERMS", "off")
    assert store.detection_of(load_settings(data_dir=tmp_path)).terms == ()
