"""The django-helpdesk connector's settings from CARELINE_DJANGO_HELPDESK_* variables."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.backend.channels.connector import Connector
from app.backend.channels.django_helpdesk import DjangoHelpdeskConnector, from_settings
from app.backend.settings import SettingsError
from app.backend.settings_env import load_settings


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in os.environ:
        if name.startswith("CARELINE_"):
            monkeypatch.delenv(name)


async def test_the_variables_describe_the_connector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert from_settings(load_settings(data_dir=tmp_path)) is None  # none set: no connector
    token = tmp_path / "token"
    token.write_text("abc123\n")
    monkeypatch.setenv("CARELINE_DJANGO_HELPDESK_URL", "http://helpdesk.example/")
    monkeypatch.setenv("CARELINE_DJANGO_HELPDESK_TOKEN_FILE", str(token))
    monkeypatch.setenv("CARELINE_DJANGO_HELPDESK_QUEUES", " baggage=2, refunds = 3,")
    monkeypatch.setenv("CARELINE_DJANGO_HELPDESK_DEFAULT_QUEUE", "7")
    monkeypatch.setenv("CARELINE_DJANGO_HELPDESK_AGENTS", "2=Ana Ruiz, 9 = Bo Li")
    settings = load_settings(data_dir=tmp_path)
    assert settings.django_helpdesk_agents == ((2, "Ana Ruiz"), (9, "Bo Li"))
    assert settings.django_helpdesk_token == "abc123"
    assert settings.django_helpdesk_queues == (("baggage", 2), ("refunds", 3))
    assert settings.django_helpdesk_default_queue == 7
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET"):
        from_settings(settings)
    monkeypatch.setenv("CARELINE_DJANGO_HELPDESK_WEBHOOK_SECRET", "s3cret")
    found = from_settings(load_settings(data_dir=tmp_path))
    assert isinstance(found, DjangoHelpdeskConnector)
    connector: Connector = found  # it offers the one interface (mypy checks)
    assert connector.name == "django-helpdesk"
    await connector.aclose()


@pytest.mark.parametrize("value", ["baggage", "baggage=two", "=2", ","])
def test_a_queue_map_that_does_not_parse_is_a_settings_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("CARELINE_DJANGO_HELPDESK_QUEUES", value)
    with pytest.raises(SettingsError, match="category=queue id pairs"):
        load_settings(data_dir=tmp_path)


@pytest.mark.parametrize("value", ["Ana", "ana=Ana Ruiz", "2=", ","])
def test_an_agent_map_that_does_not_parse_is_a_settings_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("CARELINE_DJANGO_HELPDESK_AGENTS", value)
    with pytest.raises(SettingsError, match="user id=name pairs"):
        load_settings(data_dir=tmp_path)
