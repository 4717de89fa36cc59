"""The hub's log while its database is away: one traceback when the first request is
refused (503), not one per request, and a line with the count once it answers again."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.exc import OperationalError

from app.backend.db import Database
from app.backend.main import create_app
from app.backend.settings import HubSettings, sqlite_url

REFUSED = ("database unavailable: requests are answered 503 until it is back", True)
ANSWERS_AGAIN = ("the database answers again after 15 requests answered 503", False)


def database_down(*_args: Any, **_kwargs: Any) -> Any:
    raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))


async def test_each_outage_logs_a_traceback_then_a_count_when_it_is_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="careline.hub")
    db = Database(sqlite_url(tmp_path))
    api = create_app(HubSettings(data_dir=tmp_path, database_url=db.url), database=db)
    working = {"read": db.read, "write": db.write}

    def lines() -> list[tuple[str, bool]]:
        hub = [r for r in caplog.records if r.name == "careline.hub"]
        return [(r.getMessage(), r.exc_info is not None) for r in hub]

    try:
        transport = httpx.ASGITransport(app=api)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as http:
            for outage in (1, 2):
                monkeypatch.setattr(db, "read", database_down)
                monkeypatch.setattr(db, "write", database_down)
                for _ in range(15):
                    assert (await http.get("/healthz")).status_code == 503
                for name, method in working.items():
                    monkeypatch.setattr(db, name, method)
                assert (await http.get("/healthz")).status_code == 200
                assert (await http.get("/healthz")).status_code == 200
                assert lines() == [REFUSED, ANSWERS_AGAIN] * outage
    finally:
        db.dispose()
