"""Sign-in requests to a real hub process from chosen addresses (X-Forwarded-For, which
the hub trusts from loopback), and the codes it emailed (dev mode: its database)."""

from __future__ import annotations

from pathlib import Path

import httpx

from app.backend.crud.sign_in import pending_codes
from app.backend.db import Database
from app.backend.settings import sqlite_url
from app.schemas.customers import SIGN_IN_CODE_DIGITS
from tests.hub_process import RealHub

VICTIM = "victim@example.com"
DAY = 24 * 3600


class Caller:
    """Sign-in requests to a hub from one address (None: loopback, naming nobody)."""

    def __init__(self, hub: RealHub, address: str | None) -> None:
        self.hub = hub
        self.headers = {"X-Forwarded-For": address} if address else {}

    def ask(self, email: str) -> httpx.Response:
        return httpx.post(
            f"{self.hub.url}/v1/auth/start", json={"email": email}, headers=self.headers
        )

    def start(self, email: str) -> str:
        """A new attempt's id."""
        response = self.ask(email)
        assert response.status_code == 202, response.text
        attempt: str = response.json()["attempt"]
        return attempt

    def verify(self, email: str, attempt: str, code: str) -> httpx.Response:
        body = {"email": email, "attempt": attempt, "code": code}
        return httpx.post(f"{self.hub.url}/v1/auth/verify", json=body, headers=self.headers)

    def sign_in(self, email: str, attempt: str) -> httpx.Response:
        """The attempt's right code."""
        return self.verify(email, attempt, code_of(self.hub, attempt))

    def guess(self, email: str, attempt: str) -> int:
        """One wrong code for the attempt: the answer's status."""
        return self.verify(email, attempt, wrong_code(self.hub, attempt)).status_code

    def guesses(self, email: str, count: int) -> list[int]:
        """`count` wrong codes for `email`, a new attempt for each five."""
        statuses: list[int] = []
        while len(statuses) < count:
            attempt = self.start(email)
            statuses += [self.guess(email, attempt) for _ in range(min(5, count - len(statuses)))]
        return statuses


def code_of(hub: RealHub, attempt: str) -> str:
    """The attempt's code, as the email (dev mode: the hub's database) has it."""
    db = Database(sqlite_url(hub.data_dir))
    try:
        with db.read() as conn:
            (code,) = [c["code"] for c in pending_codes(conn, attempt=attempt)]
    finally:
        db.dispose()
    return code


def wrong_code(hub: RealHub, attempt: str) -> str:
    digits = SIGN_IN_CODE_DIGITS
    return f"{(int(code_of(hub, attempt)) + 1) % 10**digits:0{digits}d}"


def retry_after(response: httpx.Response) -> int:
    return int(response.headers["retry-after"])


def problem_type(response: httpx.Response) -> str:
    kind: str = response.json()["type"]
    return kind


def capped_hub(folder: Path, *, per_address: int = 8, per_email: int = 12) -> RealHub:
    """A started hub with small daily caps of wrong codes, so a test reaches them quickly."""
    hub = RealHub(folder)
    hub.env["CARELINE_SIGN_IN_DAILY_FAILURES_PER_ADDRESS"] = str(per_address)
    hub.env["CARELINE_SIGN_IN_DAILY_FAILURES_PER_EMAIL"] = str(per_email)
    hub.start(demo=False)
    return hub
