"""A real hub process on a free port, that tests can stop and start again."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from app.backend.crud import auth
from app.backend.db import Database
from app.backend.settings import HubSettings, sqlite_url
from app.schemas import Customer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class RealHub:
    def __init__(
        self, data_dir: Path, database_url: str | None = None, *, host: str = "127.0.0.1"
    ) -> None:
        self.data_dir = data_dir
        self.host = host
        self.env = dict(os.environ)
        self.env.pop("CARELINE_DATABASE_URL", None)
        if database_url:
            self.env["CARELINE_DATABASE_URL"] = database_url
        self.port = free_port()
        self.url = f"http://{host}:{self.port}"
        self.log_path = data_dir.parent / f"hub-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "app.backend", *args, "--data-dir", str(self.data_dir)],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start(self, *, demo: bool = True, command: list[str] | None = None) -> None:
        """Serve (with the demo company), or run `command` instead, and wait until it
        answers on the hub's port."""
        serve = [
            *(sys.executable, "-m", "app.backend", "serve"),
            *("--host", self.host, "--port", str(self.port), "--data-dir", str(self.data_dir)),
            *(["--demo"] if demo else []),
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command or serve,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        # A minute and a half: on a shared machine under load a hub has taken over 30 s.
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(self.log_path.read_text())
            if time.monotonic() > deadline:
                raise RuntimeError("hub did not start in 90 s")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL the hub if it runs: no shutdown, as when a machine dies."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)
        self.process = None

    def sessions(self, emails: list[str]) -> list[tuple[str, Customer]]:
        """Sessions for these customers, issued in the hub's own SQLite database (signing
        in many people through emailed codes would only test the rate limits)."""
        settings = HubSettings(data_dir=self.data_dir, database_url=sqlite_url(self.data_dir))
        db = Database(settings.database_url)
        try:
            with db.write() as conn:
                issued = []
                for email in emails:
                    customer = auth.ensure_customer(conn, email=email)
                    session = auth.issue_customer_session(
                        conn, customer=customer, settings=settings
                    )
                    issued.append(
                        (session.token, Customer.model_validate(session.customer.model_dump()))
                    )
                return issued
        finally:
            db.dispose()

    def newest_code(self, email: str) -> str:
        """The code of the newest pending attempt for `email`, as the operator CLI lists
        them (newest first)."""
        codes = self.cli("auth", "codes")
        return next(
            line.split()[1] for line in codes.splitlines() if line.startswith(email.lower() + " ")
        )

    def sign_in(self, email: str) -> dict[str, Any]:
        """A customer session, through the API and the operator CLI's dev-mode codes."""
        started = httpx.post(f"{self.url}/v1/auth/start", json={"email": email})
        assert started.status_code == 202, started.text
        code = self.newest_code(email)
        body = {"email": email, "attempt": started.json()["attempt"], "code": code}
        session = httpx.post(f"{self.url}/v1/auth/verify", json=body)
        assert session.status_code == 200, session.text
        signed_in: dict[str, Any] = session.json()
        return signed_in
