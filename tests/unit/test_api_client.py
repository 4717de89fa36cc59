"""The hub client's error tree, for answers a real hub does not give on demand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from app.api import (
    KEEPALIVE_EXPIRY,
    HubClient,
    HubError,
    Offline,
    RateLimited,
    Rejected,
    ServerError,
    TimedOut,
    Unauthorized,
)
from app.api.errors import retry_after_seconds

PROBLEM = {"type": "/problems/x", "title": "Nope", "status": 0, "detail": "Because."}


def client_answering(handler: Callable[[httpx.Request], httpx.Response]) -> HubClient:
    return HubClient("http://hub.test", token=lambda: "tok", transport=httpx.MockTransport(handler))


@pytest.mark.parametrize(
    ("status", "headers", "error"),
    [
        (401, {}, Unauthorized),
        (429, {"Retry-After": "30"}, RateLimited),
        (500, {}, ServerError),
        (503, {"Retry-After": "5"}, ServerError),
        (400, {}, Rejected),
        (422, {}, Rejected),
    ],
)
async def test_statuses_map_to_the_error_tree(
    status: int, headers: dict[str, str], error: type[HubError]
) -> None:
    client = client_answering(
        lambda request: httpx.Response(
            status,
            headers={"content-type": "application/problem+json", **headers},
            json={**PROBLEM, "status": status},
        )
    )
    with pytest.raises(error) as raised:
        await client.pull(None)
    assert raised.value.problem is not None
    assert raised.value.problem.status == status
    if "Retry-After" in headers:
        assert raised.value.retry_after == float(headers["Retry-After"])
    await client.aclose()


async def test_transport_failures_are_offline() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(Offline):
        await client_answering(refuse).status()
    with pytest.raises(TimedOut):
        await client_answering(slow).status()


async def test_nonsense_from_the_hub_is_a_server_error() -> None:
    client = client_answering(lambda request: httpx.Response(200, text="<html>proxy</html>"))
    with pytest.raises(ServerError, match="unexpected answer"):
        await client.pull(None)
    bare = client_answering(lambda request: httpx.Response(502, text="Bad gateway"))
    with pytest.raises(ServerError) as raised:
        await bare.status()
    assert raised.value.problem is not None and raised.value.problem.status == 502


async def test_gone_cursor_means_reset() -> None:
    client = client_answering(lambda request: httpx.Response(410, json={**PROBLEM, "status": 410}))
    feed = await client.pull("123")
    assert feed.reset and feed.has_more and feed.changes == []


async def test_private_calls_need_a_session() -> None:
    client = HubClient(
        "http://hub.test",
        transport=httpx.MockTransport(lambda request: httpx.Response(200, json={})),
    )
    with pytest.raises(Unauthorized, match="not signed in"):
        await client.pull(None)


def test_retry_after_forms() -> None:
    assert retry_after_seconds("120") == 120
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    seconds = retry_after_seconds(later)
    assert seconds is not None and 80 <= seconds <= 91
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_the_app_closes_idle_connections_before_the_far_end_does() -> None:
    # A request sent down a connection the hub is closing is lost ("Server disconnected"),
    # which the customer would read as being offline. uvicorn's own default is 5 s.
    from app.backend.serve import KEEP_ALIVE_SECONDS

    assert KEEPALIVE_EXPIRY <= 5 - 1
    assert KEEPALIVE_EXPIRY < KEEP_ALIVE_SECONDS
