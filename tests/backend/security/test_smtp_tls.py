"""Sign-in codes go to the mail server over verified TLS, never to whoever answers on the
way: a real SMTP server (aiosmtpd) with a self-signed certificate, a real hub process."""

from __future__ import annotations

import email
import ssl
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from app.backend.mailer import MailUnavailable, check_mail_settings, send_sign_in_code
from app.backend.settings import HubSettings, SettingsError, sqlite_url
from app.backend.settings_env import load_settings
from tests.hub_process import RealHub, free_port
from tests.support import assert_problem

pytestmark = pytest.mark.server
USER, PASSWORD = "hub@careline.test", "smtp-secret-9d1f"


@dataclass
class MailServer:
    """A real SMTP server in this process that records what reaches it."""

    port: int
    greetings: list[bool] = field(default_factory=list)  # one per EHLO: over TLS?
    logins: list[tuple[str, str, bool]] = field(default_factory=list)
    messages: list[email.message.Message] = field(default_factory=list)

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        self.greetings.append(_over_tls(server, session))
        return responses

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        self.logins.append(
            (data.login.decode(), data.password.decode(), _over_tls(server, session))
        )
        return AuthResult(success=True)


def _over_tls(server: Any, session: Any) -> bool:
    """After STARTTLS (the session's `ssl`) or from the first byte (the transport's)."""
    return session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, as a fake server would have."""
    folder = tmp_path_factory.mktemp("smtp-cert")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt"),
            *("ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=localhost"),
            *("-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


MailFactory = Callable[..., MailServer]


@pytest.fixture
def mail_server(certificate: tuple[Path, Path]) -> Iterator[MailFactory]:
    """Start SMTP servers: `tls="starttls"` (offers STARTTLS, requires it), `"implicit"`
    (TLS from the first byte, as on port 465) or `None` (plain text only)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    running: list[Controller] = []

    def start(tls: str | None = "starttls") -> MailServer:
        server = MailServer(port=free_port())
        options: dict[str, Any] = {"authenticator": server.authenticate}
        if tls == "starttls":
            options |= {"tls_context": context, "require_starttls": True}
        elif tls == "implicit":
            # aiosmtpd offers AUTH only after its own STARTTLS unless told that this
            # connection, TLS from the first byte, is safe.
            options |= {"ssl_context": context, "auth_require_tls": False}
        else:
            options |= {"auth_require_tls": False}
        controller = Controller(server, hostname="127.0.0.1", port=server.port, **options)
        controller.start()
        running.append(controller)
        return server

    yield start
    for controller in running:
        controller.stop()


def hub_with_mail(tmp_path: Path, server: MailServer, **env: str) -> RealHub:
    hub = RealHub(tmp_path / "hub")
    hub.env.update(
        CARELINE_SMTP_HOST="127.0.0.1",
        CARELINE_SMTP_PORT=str(server.port),
        CARELINE_SMTP_USER=USER,
        CARELINE_SMTP_PASSWORD=PASSWORD,
        **env,
    )
    for name in ("CARELINE_SMTP_SECURITY", "CARELINE_SMTP_CA_FILE"):
        if name not in env:
            hub.env.pop(name, None)
    hub.start(demo=False)
    return hub


def start_sign_in(hub: RealHub) -> httpx.Response:
    return httpx.post(f"{hub.url}/v1/auth/start", json={"email": "ann@example.com"}, timeout=30)


def test_untrusted_certificate_gets_no_login_and_no_code(
    tmp_path: Path, mail_server: MailFactory
) -> None:
    server = mail_server("starttls")
    hub = hub_with_mail(tmp_path, server)
    try:
        answer = start_sign_in(hub)
    finally:
        hub.stop()
    body = assert_problem(answer, 503)
    assert body["title"] == "Email unavailable"
    assert server.greetings == [False]  # the hub came, and left at the TLS handshake
    assert server.logins == [] and server.messages == []
    log = hub.log_path.read_text()
    assert "not trusted" in log and "CARELINE_SMTP_CA_FILE" in log
    assert PASSWORD not in log


def test_the_company_ca_file_makes_starttls_send(
    tmp_path: Path, mail_server: MailFactory, certificate: tuple[Path, Path]
) -> None:
    server = mail_server("starttls")
    hub = hub_with_mail(tmp_path, server, CARELINE_SMTP_CA_FILE=str(certificate[0]))
    try:
        assert start_sign_in(hub).status_code == 202
    finally:
        hub.stop()
    assert server.greetings == [False, True]
    assert server.logins == [(USER, PASSWORD, True)]
    [message] = server.messages
    assert message["To"] == "ann@example.com" and "sign-in code" in message["Subject"]


def test_implicit_tls_on_its_own_port(
    tmp_path: Path, mail_server: MailFactory, certificate: tuple[Path, Path]
) -> None:
    server = mail_server("implicit")
    hub = hub_with_mail(
        tmp_path,
        server,
        CARELINE_SMTP_SECURITY="tls",
        CARELINE_SMTP_CA_FILE=str(certificate[0]),
    )
    try:
        assert start_sign_in(hub).status_code == 202
    finally:
        hub.stop()
    assert server.greetings == [True]
    assert server.logins == [(USER, PASSWORD, True)]
    assert len(server.messages) == 1


def _settings(tmp_path: Path, server: MailServer, **changes: Any) -> HubSettings:
    base = HubSettings(data_dir=tmp_path, database_url=sqlite_url(tmp_path))
    return base.with_overrides(
        smtp_host="127.0.0.1",
        smtp_port=server.port,
        smtp_user=USER,
        smtp_password=PASSWORD,
        **changes,
    )


def test_a_server_without_starttls_gets_nothing(tmp_path: Path, mail_server: MailFactory) -> None:
    server = mail_server(None)
    with pytest.raises(MailUnavailable, match="no STARTTLS"):
        send_sign_in_code(_settings(tmp_path, server), email="ann@example.com", code="123456")
    assert server.greetings == [False]
    assert server.logins == [] and server.messages == []


def test_plain_text_only_to_this_machine_or_when_asked(
    tmp_path: Path, mail_server: MailFactory
) -> None:
    server = mail_server(None)
    local = _settings(tmp_path, server, smtp_security="none")
    send_sign_in_code(local, email="ann@example.com", code="123456")
    assert server.logins == [(USER, PASSWORD, False)] and len(server.messages) == 1

    remote = local.with_overrides(smtp_host="mail.example.com")
    with pytest.raises(SettingsError, match="CARELINE_SMTP_ALLOW_PLAINTEXT"):
        check_mail_settings(remote)
    with pytest.raises(MailUnavailable):
        send_sign_in_code(remote, email="ann@example.com", code="123456")
    check_mail_settings(remote.with_overrides(smtp_allow_plaintext=True))


def test_settings_choose_the_port_and_reject_unknown_modes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CARELINE_SMTP_PORT", raising=False)
    monkeypatch.setenv("CARELINE_SMTP_SECURITY", "tls")
    assert load_settings(data_dir=tmp_path).smtp_port == 465
    monkeypatch.setenv("CARELINE_SMTP_SECURITY", "STARTTLS")
    assert load_settings(data_dir=tmp_path).smtp_port == 587
    monkeypatch.setenv("CARELINE_SMTP_SECURITY", "ssl3")
    with pytest.raises(SettingsError, match="starttls, tls or none"):
        load_settings(data_dir=tmp_path)


def test_the_hub_will_not_start_with_unprotected_mail(tmp_path: Path) -> None:
    """Plain text to another machine, or a CA file that is not one, stops the hub at start."""
    base = [sys.executable, "-m", "app.backend", "serve", "--data-dir", str(tmp_path / "hub")]
    cases = {
        "plain text": {"CARELINE_SMTP_SECURITY": "none"},
        "CA file": {"CARELINE_SMTP_CA_FILE": str(tmp_path / "missing.pem")},
    }
    for what, extra in cases.items():
        env = {"CARELINE_SMTP_HOST": "mail.example.com", **extra}
        done = subprocess.run(
            [*base, "--port", str(free_port())],
            env={**RealHub(tmp_path / "hub").env, **env},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 2, (what, done.stdout, done.stderr)
        assert "CARELINE_SMTP" in done.stderr, what
