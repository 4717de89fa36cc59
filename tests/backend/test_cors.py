"""Browsers: no web origin may call the hub unless configured; every answer forbids
framing and loading anything."""

from __future__ import annotations

from pathlib import Path

import httpx

from app.backend.main import create_app
from app.backend.settings import HubSettings, sqlite_url


async def ask(settings: HubSettings, origin: str) -> httpx.Response:
    api = create_app(settings)
    try:
        transport = httpx.ASGITransport(app=api)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            return await client.options(
                "/v1/status",
                headers={"Origin": origin, "Access-Control-Request-Method": "GET"},
            )
    finally:
        api.state.hub.db.dispose()


async def test_no_origin_is_allowed_unless_configured(tmp_path: Path) -> None:
    closed = HubSettings(data_dir=tmp_path, database_url=sqlite_url(tmp_path))
    refused = await ask(closed, "https://evil.example")
    assert "access-control-allow-origin" not in refused.headers
    assert (
        refused.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    )

    opened = closed.with_overrides(cors_origins=("https://help.northwind.example",))
    allowed = await ask(opened, "https://help.northwind.example")
    assert allowed.headers["access-control-allow-origin"] == "https://help.northwind.example"
    other = await ask(opened, "https://evil.example")
    assert "access-control-allow-origin" not in other.headers
