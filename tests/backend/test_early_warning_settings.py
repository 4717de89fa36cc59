"""Early warning's detection settings: read from `CARELINE_SOCIAL_*` (a value the hub
cannot use names its variable), turned into detection parameters that keep their hours
whatever the window, and taking effect on an import."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from app.backend.crud import auth
from app.backend.early_warning import store
from app.backend.early_warning.store import params_of
from app.backend.main import create_app
from app.backend.settings import HubSettings, SettingsError
from app.backend.settings_env import load_settings
from tests.backend.support import Run
from tests.support import bearer

START = datetime(2015, 2, 17, tzinfo=UTC)


def test_the_defaults_are_the_documented_ones(tmp_path: Path) -> None:
    params = params_of(load_settings(data_dir=tmp_path))
    assert (params.bin_minutes, params.alpha, params.min_count, params.baseline_days) == (
        10,
        1e-6,
        5,
        7,
    )
    assert (params.history_bins, params.warmup_bins, params.gap_bins) == (36, 12, 3)


def test_settings_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARELINE_SOCIAL_WINDOW_MINUTES", "5")
    monkeypatch.setenv("CARELINE_SOCIAL_SIGNIFICANCE", "1e-4")
    monkeypatch.setenv("CARELINE_SOCIAL_MIN_COUNT", "8")
    monkeypatch.setenv("CARELINE_SOCIAL_BASELINE_DAYS", "3")
    params = params_of(load_settings(data_dir=tmp_path))
    assert (params.bin_minutes, params.alpha, params.min_count, params.baseline_days) == (
        5,
        1e-4,
        8,
        3,
    )
    # Six hours of recent level, two of warm-up, half an hour of gap, in 5-minute bins.
    assert (params.history_bins, params.warmup_bins, params.gap_bins) == (72, 24, 6)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CARELINE_SOCIAL_WINDOW_MINUTES", "7"),
        ("CARELINE_SOCIAL_WINDOW_MINUTES", "ten"),
        ("CARELINE_SOCIAL_SIGNIFICANCE", "0"),
        ("CARELINE_SOCIAL_SIGNIFICANCE", "2"),
        ("CARELINE_SOCIAL_MIN_COUNT", "0"),
        ("CARELINE_SOCIAL_BASELINE_DAYS", "-1"),
        ("CARELINE_SOCIAL_BASELINE_DAYS", "400"),
    ],
)
def test_a_value_that_cannot_work_names_its_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=variable):
        load_settings(data_dir=tmp_path)


def _posts() -> list[dict[str, str]]:
    """Six calm hours about Chicago, then twelve posts in ten minutes."""
    lines = []
    for i in range(36):
        moment = START + timedelta(minutes=10 * i + 3)
        lines.append({"id": f"c{i}", "created_at": moment.isoformat(), "text": "#Chicago fine"})
    for i in range(12):
        moment = START + timedelta(minutes=360 + i / 2)
        lines.append({"id": f"s{i}", "created_at": moment.isoformat(), "text": "ORD stuck"})
    return lines


def _archive(tmp_path: Path) -> Path:
    path = tmp_path / "posts.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in _posts()), encoding="utf-8")
    return path


@pytest.mark.parametrize(("min_count", "opened"), [("5", 1), ("13", 0)])
def test_the_minimum_count_takes_effect_on_an_import(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, min_count: str, opened: int
) -> None:
    monkeypatch.setenv("CARELINE_SOCIAL_MIN_COUNT", min_count)
    run("social watch", "ORD", "--alias", "Chicago")
    code, out = run("social import", str(_archive(tmp_path)))
    assert code == 0 and f"{opened} warnings opened" in out


@pytest.mark.parametrize(("min_count", "opened"), [(5, 1), (13, 0)])
async def test_the_webhook_detects_with_the_hubs_settings(
    settings: HubSettings, min_count: int, opened: int
) -> None:
    api = create_app(settings.with_overrides(social_min_count=min_count))
    db = api.state.hub.db
    try:
        with db.write() as conn:
            store.watch(conn, "ORD", ["Chicago"])
            token = auth.create_operator_token(conn, scopes=["social"], label="feed")
        transport = httpx.ASGITransport(app=api)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            answer = await client.post(
                "/v1/admin/social/posts", json={"posts": _posts()}, headers=bearer(token)
            )
        assert answer.status_code == 200, answer.text
        assert answer.json()["warnings_opened"] == opened
    finally:
        db.dispose()
