"""Fixtures of the hub's tests beyond the shared ones (tests/conftest.py): the operator
CLI run on a test's own hub folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.backend.cli import main
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
