"""One request to a helpdesk's REST API, as every connector reads its answer: a transport
error, 429 or 5xx is `ConnectorUnavailable` (the outbox retries, after the helpdesk's own
Retry-After when it gave one), any other 4xx `ConnectorRefused` (an operator replays)."""

from __future__ import annotations

from typing import Any

import httpx

from app.backend.channels.connector import ConnectorRefused, ConnectorUnavailable


async def send(
    client: httpx.AsyncClient, product: str, method: str, path: str, **kwargs: Any
) -> httpx.Response:
    """`product`'s answer to `method path`, when it is neither an error nor a refusal."""
    try:
        response = await client.request(method, path, **kwargs)
    except httpx.HTTPError as error:  # connection refused, timeout, broken response
        raise ConnectorUnavailable(f"{product} unreachable: {error!r}") from error
    if response.status_code == 429 or response.status_code >= 500:
        raise ConnectorUnavailable(
            f"{product} answered {response.status_code} to {method} {path}",
            retry_after=retry_after(response.headers.get("Retry-After")),
        )
    if response.status_code >= 400:
        raise ConnectorRefused(
            f"{product} refused {method} {path} ({response.status_code}): {response.text[:300]}"
        )
    return response


def retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (never negative); None when absent or not a number."""
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
