"""Where the app's settings come from: the command line, the environment, then what a
company ships with its build in `careline.json`."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import COMPANY_ENV, DEFAULT_HUB_URL, HUB_URL_ENV, load_shipped, parse_app_args


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(HUB_URL_ENV, raising=False)
    monkeypatch.delenv(COMPANY_ENV, raising=False)


def shipped(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "careline.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_build_talks_to_the_hub_it_was_shipped_with(tmp_path: Path) -> None:
    settings = load_shipped(
        shipped(tmp_path, '{"hub_url": "https://help.northwind.example", "company": "Northwind"}')
    )
    config = parse_app_args([], shipped=settings)
    assert config.hub_url == "https://help.northwind.example"
    assert config.company == "Northwind"


def test_the_command_line_and_environment_come_before_the_shipped_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_shipped(shipped(tmp_path, '{"hub_url": "https://help.example"}'))
    monkeypatch.setenv(HUB_URL_ENV, "http://10.0.0.5:8765")
    assert parse_app_args([], shipped=settings).hub_url == "http://10.0.0.5:8765"
    config = parse_app_args(["--hub", "http://127.0.0.1:9000"], shipped=settings)
    assert config.hub_url == "http://127.0.0.1:9000"


def test_without_a_shipped_file_the_local_demo_hub_is_used(tmp_path: Path) -> None:
    settings = load_shipped(tmp_path / "careline.json")
    assert parse_app_args([], shipped=settings).hub_url == DEFAULT_HUB_URL


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"hub_url": "support.example.com"}', "hub_url: String should match pattern"),
        ('{"hub": "https://support.example.com"}', "hub: Extra inputs are not permitted"),
        ('{"hub_url": "https://x.example",', "file: Invalid JSON"),
        ('{"company": ""}', "company: String should have at least 1 character"),
    ],
)
def test_a_shipped_file_that_is_not_right_stops_the_app_saying_why(
    tmp_path: Path, text: str, problem: str
) -> None:
    with pytest.raises(SystemExit) as stopped:
        load_shipped(shipped(tmp_path, text))
    assert problem in str(stopped.value)
    assert str(tmp_path / "careline.json") in str(stopped.value)


def test_the_example_file_is_a_valid_shipped_file() -> None:
    example = Path(__file__).resolve().parents[2] / "careline.example.json"
    assert load_shipped(example).hub_url == "https://support.example.com"
