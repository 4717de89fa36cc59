"""Sign-in codes and tokens never reach the hub's logs, at any log level.

A real hub process is run twice over: as deployed (`serve`), and with every logger at its
most verbose (uvicorn at TRACE with its access log, SQLAlchemy echoing statements and
rows, everything else at level 1). A customer signs in (a wrong code first), uses the API,
logs out and retries with the revoked token; an operator and a few bad tokens call too.
Then the whole of stdout and stderr is searched for every secret that was sent.
"""

from __future__ import annotations

import hashlib
import re
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.backend.crud.sign_in import pending_codes
from app.backend.db import Database
from app.backend.mailer import codes_command
from app.backend.main import create_app
from app.backend.settings import HubSettings
from tests.hub_process import RealHub
from tests.support import bearer, operator_headers

# The hub with every logger wide open; argv: data dir, port.
VERBOSE_HUB = """
import logging, sys
import uvicorn
from app.backend.crud import auth
from app.backend.db import Database
from app.backend.mailer import codes_command
from app.backend.main import create_app
from app.backend.settings_env import load_settings

logging.basicConfig(level=1, format="%(levelname)s %(name)s: %(message)s", force=True)
for name in ("sqlalchemy", "sqlalchemy.engine", "sqlalchemy.pool", "sqlalchemy.orm"):
    logging.getLogger(name).setLevel(logging.DEBUG)  # statements, parameters and rows
uvicorn.run(
    create_app(load_settings(data_dir=sys.argv[1])),
    host="127.0.0.1",
    port=int(sys.argv[2]),
    log_level="trace",
    access_log=True,
    log_config=None,
)
"""


def watched_hub(data_dir: Path, database_url: str) -> RealHub:
    """A hub process that knows none of this machine's Careline settings but its database,
    and writes its output to its log as it goes."""
    hub = RealHub(data_dir, database_url)
    others = {k: v for k, v in hub.env.items() if not k.startswith("CARELINE_")}
    hub.env = {**others, "CARELINE_DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    return hub


@dataclass
class Secrets:
    """Everything sent during the session that must not be logged."""

    email: str
    attempt: str = ""
    code: str = ""
    wrong_code: str = ""
    tokens: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)

    def words(self) -> list[str]:
        """Secrets found as substrings: each token, its random part, each header value,
        the sign-in attempt's id."""
        parts = [token.split("_", 1)[-1] for token in self.tokens]
        return [*self.tokens, *parts, *self.headers, self.attempt]

    def code_hash(self) -> str:
        """The stored hash: with the attempt id, the code is found again by trying all."""
        return hashlib.sha256(f"{self.attempt}:{self.code}".encode()).hexdigest()


def number_in(text: str, number: str) -> bool:
    """`number` appears in `text` as a whole number (not inside a longer one)."""
    return re.search(rf"(?<!\d){re.escape(number)}(?!\d)", text) is not None


def one_case(subject: str) -> dict[str, Any]:
    mutation = {
        "seq": 1,
        "key": str(uuid.uuid4()),
        "name": "case.open",
        "args": {"subject": subject, "description": "Stuck at ORD"},
        "created_at": "2026-11-22T10:00:00Z",
    }
    return {"client_id": "log-test", "mutations": [mutation]}


async def customer_session(
    http: httpx.AsyncClient, codes: Callable[[], str], email: str
) -> Secrets:
    """Sign in (a wrong code first), use the API, log out, use the revoked token, try bad
    tokens. `codes()` lists pending codes the way `python -m app.backend auth codes` does."""
    secrets = Secrets(email=email)
    started = await http.post("/v1/auth/start", json={"email": email})
    assert started.status_code == 202
    secrets.attempt = started.json()["attempt"]
    secrets.code = next(line.split()[1] for line in codes().splitlines() if email in line)
    secrets.wrong_code = f"{(int(secrets.code) + 1) % 10**8:08d}"
    body = {"email": email, "attempt": secrets.attempt}
    wrong = await http.post("/v1/auth/verify", json={**body, "code": secrets.wrong_code})
    assert wrong.status_code == 401
    verified = await http.post("/v1/auth/verify", json={**body, "code": secrets.code})
    assert verified.status_code == 200, verified.text
    token = verified.json()["token"]
    secrets.tokens.append(token)
    for method, path, payload in [
        ("GET", "/v1/me", None),
        ("POST", "/v1/sync/push", one_case("Lost bag")),
        ("GET", "/v1/sync/pull?limit=5", None),
        ("GET", "/v1/cases", None),
        ("GET", "/v1/me/export", None),
    ]:
        response = await http.request(method, path, json=payload, headers=bearer(token))
        assert response.status_code == 200, (path, response.text)
    assert (await http.post("/v1/auth/logout", headers=bearer(token))).status_code == 204
    assert (await http.get("/v1/me", headers=bearer(token))).status_code == 401
    unknown = f"clc_{uuid.uuid4().hex}{uuid.uuid4().hex}"
    secrets.tokens.append(unknown)
    basic = "Basic YWxpY2U6aHVudGVyMg=="  # alice:hunter2
    secrets.headers.append(basic)
    for headers in (bearer(unknown), {"Authorization": basic}, bearer("not a token")):
        assert (await http.get("/v1/me", headers=headers)).status_code == 401
    return secrets


def assert_nothing_leaked(log: str, secrets: Secrets) -> None:
    assert not number_in(log, secrets.code), "the sign-in code is in the log"
    assert not number_in(log, secrets.wrong_code), "a tried code is in the log"
    assert secrets.code_hash() not in log, "the code's hash is in the log"
    for secret in secrets.words():
        assert secret not in log, f"{secret[:8]}… is in the log"
    assert "bearer" not in log.lower(), "an Authorization header is in the log"


@pytest.mark.server
@pytest.mark.parametrize("verbose", [False, True], ids=["as-deployed", "most-verbose"])
async def test_no_code_or_token_in_a_hub_process_log(
    tmp_path: Path, database_url: str, verbose: bool
) -> None:
    hub = watched_hub(tmp_path / "hub", database_url)
    email = "log.test@example.com"
    verbose_hub = [sys.executable, "-c", VERBOSE_HUB, str(hub.data_dir), str(hub.port)]
    hub.start(demo=False, command=verbose_hub if verbose else None)
    try:
        async with httpx.AsyncClient(base_url=hub.url, timeout=10) as http:
            secrets = await customer_session(http, lambda: hub.cli("auth", "codes"), email)
            operator = hub.cli("token", "create", "--scope", "cases").strip()
            secrets.tokens.append(operator)
            assert (await http.get("/v1/admin/cases", headers=bearer(operator))).status_code == 200
            assert (await http.get("/v1/me", headers=bearer(operator))).status_code == 403
    finally:
        # Stopped before the log is read, so whatever it logs on the way out counts.
        hub.stop()
    log = hub.log_path.read_text()

    assert_nothing_leaked(log, secrets)
    # The search would find them: what is logged is there, in the same text.
    assert email in log, "the dev-mode notice names the email"
    assert "auth codes" in log, "the dev-mode notice says how to read the code"
    assert number_in(log, str(hub.port)), "the hub logs the port it listens on"
    if verbose:
        assert '"POST /v1/auth/verify HTTP/1.1" 401' in log, "the access log is on"
        assert '"GET /v1/me HTTP/1.1" 200' in log
        assert "TRACE uvicorn.asgi" in log, "uvicorn traces every ASGI message"
        assert "FROM auth_codes" in log, "SQL statements are logged"
        assert "DEBUG sqlalchemy.engine.Engine: Row" in log, "result rows are logged"


async def test_no_code_or_token_in_any_log_record_in_process(
    settings: HubSettings, caplog: pytest.LogCaptureFixture
) -> None:
    """The same session through the app in process, with every logger at level 1: fast,
    and runs where starting a process is not wanted (-m 'not server')."""
    caplog.set_level(1)
    api = create_app(settings)
    db: Database = api.state.hub.db

    def codes() -> str:
        with db.read() as conn:
            return "\n".join(f"{c['email']}  {c['code']}" for c in pending_codes(conn))

    try:
        transport = httpx.ASGITransport(app=api)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as http:
            secrets = await customer_session(http, codes, "log.test@example.com")
            operator = operator_headers(db, "cases")
            secrets.headers.append(operator["Authorization"])
            assert (await http.get("/v1/admin/cases", headers=operator)).status_code == 200
    finally:
        db.dispose()
    log = "\n".join(
        f"{record.levelname} {record.name}: {record.getMessage()}" for record in caplog.records
    )
    assert_nothing_leaked(log, secrets)
    # The records were captured: the dev-mode notice is among them, without the code.
    assert f"a sign-in code was issued for {secrets.email}" in log
    assert codes_command(settings) in log
