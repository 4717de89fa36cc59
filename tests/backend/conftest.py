"""Fixtures of the hub's tests beyond the shared ones (tests/conftest.py): the operator
CLI run on a test's own hub folder, a hub feeding a helpdesk held in memory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from app.backend.cli import main
from app.backend.main import create_app
from app.backend.settings import HubSettings
from tests.backend.channels_support import FakeHelpdesk
from tests.backend.support import Run


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run a CLI command on this test's hub folder; returns (exit code, stdout + stderr)."""
    monkeypatch.delenv("CARELINE_DATABASE_URL", raising=False)

    def invoke(*args: str) -> tuple[int, str]:
        command, *rest = args
        code = main([*command.split(), *rest, "--data-dir", str(tmp_path / "hub")])
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    return invoke


@pytest.fixture
def helpdesk() -> FakeHelpdesk:
    return FakeHelpdesk()


@pytest.fixture
def channel_app(settings: HubSettings, helpdesk: FakeHelpdesk) -> Iterator[FastAPI]:
    api = create_app(settings, connector=helpdesk)
    yield api
    api.state.hub.db.dispose()


@pytest.fixture
async def channel_client(channel_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=channel_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as c:
        yield c
