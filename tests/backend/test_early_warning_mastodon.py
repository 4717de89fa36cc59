"""The Mastodon adapter against a stand-in instance on loopback (tests/backend/
mastodon_server.py, built from Mastodon's documented requests and answers): HTML reduced
to text, paging forward with min_id, duplicates ignored, 429 and 5xx waited out, 401
refused, and the CLI command that ingests posts and opens warnings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from app.backend.early_warning.mastodon import (
    Follower,
    Refused,
    Unavailable,
    hashtag,
    instance_url,
    status_post,
)
from app.schemas.warnings import PostIn
from tests.backend.mastodon_server import DOCUMENTED, FakeMastodon, Running, status, statuses
from tests.backend.support import Run

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def instance() -> Iterator[Running]:
    running = Running(FakeMastodon())
    yield running
    running.stop()


@pytest.fixture
def mastodon(instance: Running) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=instance.url, timeout=10) as client:
        yield client


def _follower(
    client: httpx.Client, tag: str, since_id: str | None = None
) -> tuple[Follower, list[PostIn]]:
    got: list[PostIn] = []
    return Follower(client, tag, got.extend, since_id, every=30), got


def test_the_documented_statuses_become_text() -> None:
    posts = [status_post(s, "mastodon:mastodon.social") for s in DOCUMENTED]
    assert [p.text for p in posts if p] == [
        "#cats",
        "Caught on the hop. \U0001f63a #Qualitätskatzen #cats "
        "(photo: @kernpanik | license: CC BY-NC-SA 4.0)",
    ]
    first = posts[0]
    assert first is not None and first.id == "103206185588894565" and first.lang == "en"
    assert first.created_at == datetime(2019, 11, 26, 20, 50, 15, 866000, tzinfo=UTC)
    assert first.author is None  # the account is never read


def test_markup_is_text_never_markup() -> None:
    hostile = (
        "<p>ORD &lt;b&gt;closed&lt;/b&gt;<script>alert(1)</script><style>p{}</style>"
        "<br>gate\x1b[2J C7 \u202eevil</p><p>&amp; more</p>"
    )
    post = status_post(status(1, START, hostile, "ord"), "mastodon:x")
    assert post is not None
    assert post.text == "ORD <b>closed</b> gate [2J C7 evil & more"
    assert status_post(status(2, START, "<p>x</p>", "ord", visibility="unlisted"), "m") is None
    assert status_post(status(3, START, "<p>x</p>", "ord", created_at="yesterday"), "m") is None
    warned = status_post(status(4, START, "<p>stuck</p>", "ord", spoiler_text="delay"), "m")
    assert warned is not None and warned.text == "delay stuck"


def test_addresses_and_tags() -> None:
    assert instance_url("https://mastodon.social/") == "https://mastodon.social"
    assert instance_url("http://127.0.0.1:9999") == "http://127.0.0.1:9999"
    for wrong in ("http://mastodon.social", "ftp://x", "https://x/api", "mastodon.social"):
        with pytest.raises(ValueError, match=r"https|address"):
            instance_url(wrong)
    assert hashtag("#ORDsnow") == "ORDsnow"
    with pytest.raises(ValueError, match="hashtag"):
        hashtag("a/b")


def test_the_first_poll_reads_the_newest_page_then_pages_forward(
    instance: Running, mastodon: httpx.Client
) -> None:
    instance.fake.statuses += statuses(1000, 50, START, "old", "ORDsnow")
    follower, got = _follower(mastodon, "ordsnow")
    assert follower.once() == 40
    assert [p.id for p in got] == [str(i) for i in range(1049, 1009, -1)]
    assert follower.since_id == "1049"
    # 90 more: three pages of 40, 40 and 10, each after the newest of the one before.
    instance.fake.statuses += statuses(1050, 90, START + timedelta(hours=1), "new", "ORDsnow")
    got.clear()
    assert follower.once() == 90
    assert sorted(int(p.id) for p in got) == list(range(1050, 1140))
    cursors = [r.get("min_id") for r in instance.fake.requests[1:]]
    assert cursors == ["1049", "1089", "1129"]
    assert follower.once() == 0 and follower.since_id == "1139"


def test_ids_of_other_lengths_are_ordered_as_numbers(
    instance: Running, mastodon: httpx.Client
) -> None:
    instance.fake.statuses += statuses(98, 4, START, "x", "t")  # 98, 99, 100, 101
    follower, _ = _follower(mastodon, "t", since_id="97")
    assert follower.once() == 4 and follower.since_id == "101"


def test_rate_limits_and_server_errors_are_waited_out(
    instance: Running, mastodon: httpx.Client
) -> None:
    instance.fake.statuses += statuses(1, 5, START, "x", "t")
    instance.fake.faults += [(429, {"Retry-After": "7"}), (503, {}), (502, {})]
    follower, got = _follower(mastodon, "t", since_id="0")
    with pytest.raises(Unavailable) as caught:
        follower.once()
    assert caught.value.retry_after == 7
    slept: list[float] = []
    waits: list[str] = []
    follower.run(slept.append, rounds=3, on_wait=lambda why, _: waits.append(why))
    # 503 without Retry-After: the poll interval, then twice it; then a good poll.
    assert slept == [30, 60, 30] and waits == ["answered 503", "answered 502"]
    assert len(got) == 5


def test_an_instance_for_signed_in_users_only_is_refused(
    instance: Running, mastodon: httpx.Client
) -> None:
    instance.fake.signed_in_only = True
    follower, _ = _follower(mastodon, "cats")
    with pytest.raises(Refused, match="401"):
        follower.once()
    with pytest.raises(Refused, match="401"):
        follower.run(lambda _: None, rounds=5)


def test_a_hashtag_nobody_used_yet_is_an_empty_timeline(mastodon: httpx.Client) -> None:
    follower, got = _follower(mastodon, "NorthwindDelays")
    assert follower.once() == 0 and got == [] and follower.since_id is None


def test_the_cli_ingests_posts_once_and_opens_a_warning(run: Run, instance: Running) -> None:
    run("social watch", "ORD", "--alias", "O'Hare")
    calm = [
        status(100 + i, START + timedelta(minutes=10 * i), "<p>#ORD fine</p>", "ORD")
        for i in range(36)
    ]
    burst = statuses(500, 12, START + timedelta(hours=6), "Stuck at O'Hare, all cancelled", "ORD")
    instance.fake.statuses += calm + burst
    follow = ("social follow-mastodon", "--instance", instance.url, "--tag", "#ORD")
    code, out = run(*follow, "--once", "--since-id", "0")
    assert code == 0, out
    # Pages come oldest first: the burst's last eight posts complete it.
    assert "40 posts: 40 new; 0 warnings opened.\n8 posts: 8 new; 1 warnings opened." in out
    assert "Read 48 statuses of #ORD; newest id 511." in out
    code, out = run(*follow, "--once", "--since-id", "0")
    assert "40 posts: 0 new; 0 warnings opened." in out  # duplicates are ignored
    assert "Stuck at O'Hare" in run("social warnings")[1]


def test_the_cli_says_when_the_instance_is_unavailable_or_refuses(
    run: Run, instance: Running
) -> None:
    follow = ("social follow-mastodon", "--instance", instance.url, "--tag", "cats", "--once")
    instance.fake.faults.append((503, {}))
    code, out = run(*follow)
    assert code == 1 and "answered 503; try again later" in out
    instance.fake.signed_in_only = True
    code, out = run(*follow)
    assert code == 2 and "refused (401)" in out
    code, out = run(
        "social follow-mastodon", "--instance", "http://mastodon.social", "--tag", "x", "--once"
    )
    assert code == 2 and "https" in out
