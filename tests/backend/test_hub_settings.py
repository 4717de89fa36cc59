"""The hub's settings from the environment: each variable read by the type of its field,
`HubSettings` the only home of the defaults, and a value the hub cannot read refused with
a one-line error (exit code 2 from the CLI) instead of a traceback."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from app.backend import cli
from app.backend.settings import HubSettings, PushLimits, RateLimit, SettingsError, sqlite_url
from app.backend.settings_env import HUB_VARIABLES, PUSH_VARIABLES, load_settings

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in os.environ:
        if name.startswith("CARELINE_") or name == "FORWARDED_ALLOW_IPS":
            monkeypatch.delenv(name)


def test_without_variables_the_defaults_are_those_of_hub_settings(tmp_path: Path) -> None:
    loaded = load_settings(data_dir=tmp_path)
    assert loaded == HubSettings(data_dir=tmp_path, database_url=sqlite_url(tmp_path))
    # Each signed-in browser tab of a hosted app holds a stream: ten do not take turns.
    assert loaded.streams_per_customer == 10


def test_every_variable_names_a_field_once() -> None:
    fields = set(HubSettings.__dataclass_fields__)
    variables = [variable for _, variable, _ in HUB_VARIABLES + PUSH_VARIABLES]
    assert len(variables) == len(set(variables))
    assert {name for name, _, _ in HUB_VARIABLES} <= fields
    assert {name for name, _, _ in PUSH_VARIABLES} <= set(PushLimits.__dataclass_fields__)


def test_each_kind_of_variable_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    password = tmp_path / "password"
    password.write_text("s3cret\n")
    for name, value in {
        "CARELINE_COMPANY_NAME": "Contoso",
        "CARELINE_TIME_ZONE": "Europe/Madrid",
        "CARELINE_DEFAULT_LOCALE": "es-MX",
        "CARELINE_VAPID_PRIVATE_KEY": "-----BEGIN PRIVATE KEY-----",
        "CARELINE_SMTP_HOST": "mail.example.com",
        "CARELINE_SMTP_SECURITY": " TLS ",
        "CARELINE_SMTP_PASSWORD": "ignored: the file wins",
        "CARELINE_SMTP_PASSWORD_FILE": str(password),
        "CARELINE_SMTP_CA_FILE": "/etc/ca.pem",
        "CARELINE_DEV_MODE": "1",
        "CARELINE_SMTP_ALLOW_PLAINTEXT": "0",
        "FORWARDED_ALLOW_IPS": "10.0.0.1",
        "CARELINE_FORWARDED_ALLOW_IPS": "10.0.0.2",
        "CARELINE_STREAMS_PER_CUSTOMER": "3",
        "CARELINE_STREAMS_PER_ADDRESS": "40",
        "CARELINE_WRITES_PER_MINUTE": "500",
        "CARELINE_STORAGE_PER_CUSTOMER_MB": "2.5",
        "CARELINE_KEEP_EVENTS_DAYS": "7.5",
        "CARELINE_CORS_ORIGINS": "https://a.example, https://b.example,",
        "CARELINE_PUSH_CONCURRENCY": "16",
        "CARELINE_PUSH_TIMEOUT_SECONDS": "2.5",
        "CARELINE_MAX_CASE_MESSAGES": "",  # empty: unset
        "CARELINE_WORDING_ALERTS_KEYS": "en=Stores, orders and deliveries| es = Tiendas, pedidos |",
    }.items():
        monkeypatch.setenv(name, value)

    loaded = load_settings(data_dir=tmp_path)

    assert loaded.company_name == "Contoso"
    assert loaded.time_zone == "Europe/Madrid"
    assert loaded.default_locale == "es-MX"
    assert loaded.vapid_private_key == "-----BEGIN PRIVATE KEY-----"
    assert loaded.smtp_host == "mail.example.com"
    assert (loaded.smtp_security, loaded.smtp_port) == ("tls", 465)
    assert loaded.smtp_password == "s3cret"
    assert loaded.smtp_ca_file == Path("/etc/ca.pem")
    assert (loaded.dev_mode_allowed, loaded.smtp_allow_plaintext) == (True, False)
    assert loaded.forwarded_allow_ips == "10.0.0.2"
    assert (loaded.streams_per_customer, loaded.streams_per_client) == (3, 40)
    assert loaded.writes_per_customer == RateLimit(500, 60)
    assert loaded.storage_per_customer == 2_500_000
    assert loaded.keep_events_days == 7.5
    assert loaded.cors_origins == ("https://a.example", "https://b.example")
    assert loaded.push_limits == PushLimits(concurrency=16, timeout_seconds=2.5)
    assert loaded.max_case_messages == HubSettings.max_case_messages
    assert loaded.wording_alerts_keys == (
        ("en", "Stores, orders and deliveries"),
        ("es", "Tiendas, pedidos"),
    )
    assert loaded.wording_key_hint == HubSettings.wording_key_hint


def test_the_readme_documents_every_variable() -> None:
    """The README names each variable in full, or in a row of its settings table as
    `_TAIL` after one sharing its start (`CARELINE_SMTP_HOST`, `_PORT`)."""
    text = README.read_text()
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    named = [re.findall(r"`([A-Z_]+)`", row) for row in rows]

    def documented(variable: str) -> bool:
        if f"`{variable}`" in text:
            return True
        for names in named:
            full = [name for name in names if not name.startswith("_")]
            for name in names:
                start = variable.removesuffix(name)
                if (
                    name.startswith("_")
                    and variable.endswith(name)
                    and any(other.startswith(start + "_") for other in full)
                ):
                    return True
        return False

    variables = [variable for _, variable, _ in HUB_VARIABLES + PUSH_VARIABLES]
    assert [variable for variable in variables if not documented(variable)] == []


def test_a_port_set_wins_over_the_one_its_protection_implies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARELINE_SMTP_SECURITY", "none")
    assert load_settings(data_dir=tmp_path).smtp_port == 25
    monkeypatch.setenv("CARELINE_SMTP_PORT", "2525")
    assert load_settings(data_dir=tmp_path).smtp_port == 2525


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("CARELINE_STREAMS_PER_CUSTOMER", "abc", "a whole number"),
        ("CARELINE_WRITES_PER_MINUTE", "1.5", "a whole number"),
        ("CARELINE_SMTP_PORT", "587/tcp", "a whole number"),
        ("CARELINE_PUSH_GIVE_UP_AFTER", "ten", "a whole number"),
        ("CARELINE_KEEP_EVENTS_DAYS", "30d", "a number"),
        ("CARELINE_PRUNE_EVERY_SECONDS", "nan", "a number"),
        ("CARELINE_STORAGE_PER_CUSTOMER_MB", "1GB", "a number"),
        ("CARELINE_DEV_MODE", "yes", "1 or 0"),
        ("CARELINE_FORECAST_TARGET_SHARE", "80", "a number between 0 and 1, e.g. 0.8 or 1e-6"),
        ("CARELINE_FORECAST_TARGET_MINUTES", "0", "a number above 0"),
        ("CARELINE_SMTP_SECURITY", "ssl3", "starttls, tls or none"),
        ("CARELINE_TIME_ZONE", "Mars/Olympus", "an IANA time zone, e.g. America/Chicago"),
        (
            "CARELINE_WORDING_KEY_LABEL",
            "Store or order",
            "locale=text pairs, separated by | (en=Stores and orders|es=Tiendas)",
        ),
    ],
)
def test_a_value_that_does_not_parse_is_a_settings_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as raised:
        load_settings(data_dir=tmp_path)
    assert str(raised.value) == f"{variable} is {value!r}: expected {expected}"


def test_an_unreadable_password_file_is_a_settings_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARELINE_SMTP_PASSWORD_FILE", str(tmp_path / "missing"))
    with pytest.raises(SettingsError, match=r"CARELINE_SMTP_PASSWORD_FILE .* a file the hub can"):
        load_settings(data_dir=tmp_path)


def test_serve_says_which_setting_is_wrong_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CARELINE_SESSION_IDLE_DAYS", "sixty")
    assert cli.main(["serve", "--data-dir", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert error == "error: CARELINE_SESSION_IDLE_DAYS is 'sixty': expected a whole number\n"
