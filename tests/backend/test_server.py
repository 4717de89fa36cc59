"""The hub as customers meet it: a real server process over HTTP, driven together with the
operator CLI in another process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class RealHub:
    def __init__(self, data_dir: Path, database_url: str) -> None:
        self.data_dir = data_dir
        self.env = {**os.environ, "CARELINE_DATABASE_URL": database_url}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

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


@pytest.fixture
def real_hub(tmp_path: Path, database_url: str) -> Iterator[RealHub]:
    hub = RealHub(tmp_path / "hub", database_url)
    log = (tmp_path / "hub.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app.backend",
            "serve",
            "--demo",
            "--port",
            str(hub.port),
            "--data-dir",
            str(hub.data_dir),
        ],
        env=hub.env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{hub.url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, (tmp_path / "hub.log").read_text()
            assert time.monotonic() < deadline, "hub did not start in 30 s"
            time.sleep(0.1)
        yield hub
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()


def test_customer_and_agent_over_real_http(real_hub: RealHub) -> None:
    with httpx.Client(base_url=real_hub.url, timeout=10) as http:
        status = http.get("/v1/status")
        assert status.status_code == 200
        assert status.json()["active_incidents"][0]["impact"] == "critical"
        assert (
            http.get("/v1/status", headers={"If-None-Match": status.headers["etag"]}).status_code
            == 304
        )

        assert http.post("/v1/auth/start", json={"email": "Dana@Example.com"}).status_code == 202
        codes = real_hub.cli("auth", "codes")
        code = next(
            line.split()[1] for line in codes.splitlines() if line.startswith("dana@example.com")
        )
        session = http.post("/v1/auth/verify", json={"email": "dana@example.com", "code": code})
        headers = {"Authorization": f"Bearer {session.json()['token']}"}

        opened = http.post(
            "/v1/sync/push",
            headers=headers,
            json={
                "client_id": "phone-1",
                "mutations": [
                    {
                        "seq": 1,
                        "key": str(uuid.uuid4()),
                        "name": "case.open",
                        "created_at": datetime.now(UTC).isoformat(),
                        "args": {
                            "subject": "Stuck at ORD",
                            "description": "Flight NW 412 was cancelled.",
                            "category": "delays-cancellations",
                        },
                    }
                ],
            },
        ).json()["results"][0]
        assert opened["status"] == "applied"
        case_id = opened["entity"]["id"]

        first = http.get("/v1/sync/pull", headers=headers).json()
        assert any(c["entity"] == "case" and c["id"] == case_id for c in first["changes"])
        real_hub.cli("case", "reply", case_id, "--body", "We rebooked you on NW 418.")
        later = http.get(
            "/v1/sync/pull", params={"cursor": first["cursor"]}, headers=headers
        ).json()
        [change] = later["changes"]
        assert change["data"]["messages"][-1]["body"] == "We rebooked you on NW 418."
        assert change["data"]["status"] == "pending"
