"""Event streams per customer and per address, against a real hub: one more than the limit
closes the oldest at once (with `replaced` and a long `retry`), and the app's client waits
that long instead of coming straight back and closing the newer stream in turn."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any, cast

import httpx
import pytest

from app.api import HubClient, RateLimited
from app.api.events import Replaced, parse_block
from app.backend.settings import HubSettings
from app.store import PublicStore
from app.sync.backoff import Backoff
from app.sync.live import LiveEvents
from app.sync.scheduler import SyncScheduler
from tests.hub_process import RealHub
from tests.support import bearer

pytestmark = pytest.mark.server
PER_CUSTOMER = 5  # set for these tests (CARELINE_STREAMS_PER_CUSTOMER), below the default
PER_ADDRESS = HubSettings.streams_per_client


class RawStream:
    """One SSE response read line by line in a thread: when it ended, and whether the hub
    said it was replaced."""

    def __init__(self, hub: RealHub, path: str, headers: dict[str, str]) -> None:
        self.lines: list[str] = []
        self.ended_at: float | None = None
        self._connected = threading.Event()
        self._ended = threading.Event()
        self._client = httpx.Client(base_url=hub.url, timeout=httpx.Timeout(10, read=60))
        request = self._client.build_request("GET", path, headers=headers)
        self._response = self._client.send(request, stream=True)
        assert self._response.status_code == 200, self._response.read()
        threading.Thread(target=self._read, daemon=True).start()
        assert self._connected.wait(10), "the stream says it is connected at once"

    def _read(self) -> None:
        try:
            for line in self._response.iter_lines():
                self.lines.append(line)
                self._connected.set()
        except httpx.HTTPError:
            pass
        self.ended_at = time.monotonic()
        self._ended.set()

    def ended_within(self, seconds: float) -> bool:
        return self._ended.wait(seconds)

    @property
    def replaced(self) -> bool:
        return "event: replaced" in self.lines and "retry: 60000" in self.lines

    def close(self) -> None:
        self._response.close()
        self._client.close()


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealHub]:
    """One hub for these tests (each uses its own customers and addresses)."""
    real = RealHub(tmp_path_factory.mktemp("streams") / "hub")
    real.env["CARELINE_STREAMS_PER_CUSTOMER"] = str(PER_CUSTOMER)
    real.start()
    yield real
    real.stop()


def customer_streams(hub: RealHub, token: str, count: int) -> list[RawStream]:
    headers = bearer(token)
    return [RawStream(hub, "/v1/events", headers) for _ in range(count)]


def public_streams(hub: RealHub, count: int, address: str | None) -> list[RawStream]:
    # The hub trusts X-Forwarded-For from loopback, as from an app server or proxy there.
    headers = {"X-Forwarded-For": address} if address else {}
    return [RawStream(hub, "/v1/events/public", headers) for _ in range(count)]


def all_open(streams: list[RawStream], wait: float = 0.5) -> bool:
    time.sleep(wait)
    return all(s.ended_at is None for s in streams)


def close_all(streams: list[RawStream]) -> None:
    for stream in streams:
        stream.close()


def test_ten_streams_of_one_customer_keep_the_five_newest(hub: RealHub) -> None:
    """One customer must not hold any number of streams open, each polling the database
    every 15 s: past the limit the oldest close, at once; other customers are untouched."""
    (token, _), (other, _) = hub.sessions(["ten@example.com", "other@example.com"])
    bystander = customer_streams(hub, other, 1)
    streams: list[RawStream] = []
    opening: list[float] = []  # when each stream was asked for
    for _ in range(10):
        opening.append(time.monotonic())
        streams += customer_streams(hub, token, 1)
    try:
        oldest, newest = streams[: 10 - PER_CUSTOMER], streams[10 - PER_CUSTOMER :]
        for n, stream in enumerate(oldest):
            assert stream.ended_within(2), "an older stream closes at once"
            assert stream.replaced, stream.lines
            # It ends as the stream that pushes it out opens, not at a later check.
            pushed_out_by = opening[n + PER_CUSTOMER]
            assert stream.ended_at is not None and stream.ended_at - pushed_out_by < 2
        assert all_open(newest), "the newest five stay open"
        assert all_open(bystander, 0), "another customer's stream is untouched"
        assert not any(s.replaced for s in newest + bystander)
    finally:
        close_all(streams + bystander)


def test_public_streams_per_address_keep_the_newest(hub: RealHub) -> None:
    """One address must not hold any number of public streams: past its limit the
    oldest close, and other addresses are counted apart."""
    elsewhere = public_streams(hub, 1, "198.51.100.9")
    streams = public_streams(hub, PER_ADDRESS + 3, "203.0.113.7")
    try:
        for stream in streams[:3]:
            assert stream.ended_within(2) and stream.replaced, stream.lines
        assert all_open(streams[3:])
        assert all_open(elsewhere, 0), "other addresses are counted apart"
    finally:
        close_all(streams + elsewhere)


def test_customer_streams_count_towards_their_address_too(hub: RealHub) -> None:
    tokens = [token for token, _ in hub.sessions([f"n{i}@example.com" for i in range(5)])]
    address = {"X-Forwarded-For": "203.0.113.8"}
    streams = [
        RawStream(hub, "/v1/events", {**bearer(tokens[i % 5]), **address})
        for i in range(PER_ADDRESS + 1)
    ]
    try:
        assert streams[0].ended_within(2) and streams[0].replaced
        assert all_open(streams[1:])
    finally:
        close_all(streams)


def test_an_app_server_on_loopback_is_not_limited_per_address(hub: RealHub) -> None:
    """All of a hosted app's visitors share its address: only per-customer limits apply."""
    streams = public_streams(hub, PER_ADDRESS + 2, None)
    try:
        assert all_open(streams)
    finally:
        close_all(streams)


async def test_the_apps_client_hears_it_was_replaced_and_how_long_to_wait(
    hub: RealHub,
) -> None:
    (token, _) = hub.sessions(["app@example.com"])[0]
    client = HubClient(hub.url, token=lambda: token)
    opened = asyncio.Event()

    async def listen() -> None:
        async for _ in client.events(after=None):
            opened.set()  # its Position: the stream is open

    listening = asyncio.create_task(listen())
    try:
        await asyncio.wait_for(opened.wait(), 10)
        newer = await asyncio.to_thread(customer_streams, hub, token, PER_CUSTOMER)
        with pytest.raises(RateLimited) as raised:
            await asyncio.wait_for(listening, 5)
        assert raised.value.retry_after == 60
        close_all(newer)
    finally:
        listening.cancel()
        await client.aclose()


def test_a_replaced_message_parses_with_its_retry() -> None:
    block = ["retry: 60000", "event: replaced", "data: {}"]
    assert parse_block(block) == Replaced(60.0)


async def test_live_events_wait_as_asked_before_reconnecting() -> None:
    """Coming straight back would close the newer stream, which would come back too: two
    devices taking turns closing each other's stream several times a second."""
    connects = 0

    class ReplacedClient:
        async def events(self, *, after: int | None, public: bool = False) -> Any:
            nonlocal connects
            connects += 1
            raise RateLimited("replaced", retry_after=60)
            yield  # an async generator, like HubClient.events

    live = LiveEvents(
        cast(HubClient, ReplacedClient()),
        personal=None,
        public=cast(PublicStore, None),
        scheduler=cast(SyncScheduler, None),
        backoff=Backoff(base=0.01, cap=0.05),
    )
    live.start()
    await asyncio.sleep(1)
    await live.stop()
    assert connects == 1
