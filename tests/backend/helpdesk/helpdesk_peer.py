"""A real django-helpdesk on loopback, from the venv and ready database that
peers/django_helpdesk/setup.sh makes, and a small HTTP server that receives its webhooks."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol

import httpx
import pytest

from tests.hub_process import RealHub, free_port

ROOT = Path(__file__).resolve().parents[3]
PEER_DIR = ROOT / ".peers" / "helpdesk"
PEER_PYTHON = PEER_DIR / "venv" / "bin" / "python"
TEMPLATE = PEER_DIR / "template"
PROJECT = ROOT / "peers" / "django_helpdesk" / "project"
REQUIRE_ENV = "CARELINE_REQUIRE_HELPDESK"
AGENT_NAME = "Ana Ruiz"  # the peer's agent, as the hub's settings name them
SECRET = "hook-secret-4f9c"  # the shared secret the peer's webhook URLs carry


def unavailable_reason() -> str | None:
    if not PEER_PYTHON.exists() or not (TEMPLATE / "peer.json").exists():
        return "the django-helpdesk peer is not set up: run peers/django_helpdesk/setup.sh"
    return None


def require_peer() -> None:
    """Skip without the peer, or fail where CARELINE_REQUIRE_HELPDESK is set (as in CI)."""
    reason = unavailable_reason()
    if reason:
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(f"{reason}, but {REQUIRE_ENV} is set")
        pytest.skip(reason)


@dataclass
class Delivery:
    path: str
    headers: dict[str, str]
    body: bytes


class WebhookReceiver:
    """Records every POST it gets (path, headers, body) and answers 204. django-helpdesk
    posts its webhooks before its API call answers, so a delivery is here by then."""

    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []
        received = self.deliveries

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                received.append(Delivery(self.path, dict(self.headers.items()), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str, secret: str = SECRET) -> str:
        host, port = self._server.server_address[:2]
        return f"http://careline:{secret}@{host!s}:{port}{path}"

    def about(self, ticket_id: str) -> list[Delivery]:
        return [d for d in self.deliveries if json.loads(d.body)["ticket"]["id"] == int(ticket_id)]

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class FaultyHelpdesk:
    """A fault, not a helpdesk: answers every request with `status`, `headers` and `body`
    (a helpdesk behind an overloaded proxy, a rate limit, a page that is not JSON)."""

    def __init__(self) -> None:
        self.status, self.headers, self.body = 503, {"Retry-After": "7"}, b"busy"
        fault = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                self.send_response(fault.status)
                for name, value in fault.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(fault.body)))
                self.end_headers()
                self.wfile.write(fault.body)

            do_GET = do_POST = _answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        host, port = self._server.server_address[:2]
        self.url = f"http://{host!s}:{port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class WebhookTarget(Protocol):
    """Where the peer's webhooks go: the address for one of its webhook paths."""

    def url(self, path: str, secret: str = SECRET) -> str: ...


class HelpdeskPeer:
    """django-helpdesk's runserver on a free port, on a copy of the ready database, its
    webhooks sent to `receiver` (None: to a port where nothing listens)."""

    def __init__(self, workdir: Path, receiver: WebhookTarget | None) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        info = json.loads((TEMPLATE / "peer.json").read_text())
        self.token: str = info["token"]
        self.agent_token: str = info["agent_token"]
        self.queues: dict[str, int] = info["queues"]
        hook = receiver.url if receiver else lambda path: f"http://127.0.0.1:{free_port()}{path}"
        # The follow-up URLs are split on a comma with whitespace on both sides, the
        # new-ticket ones on a bare comma: each list names two paths to show both work.
        self._env = {
            **os.environ,
            "PEER_DATA_DIR": str(workdir),
            "HELPDESK_NEW_TICKET_WEBHOOK_URLS": f"{hook('/new')},{hook('/new2')}",
            "HELPDESK_FOLLOWUP_WEBHOOK_URLS": f"{hook('/up')} , {hook('/up2')}",
        }
        self._process: subprocess.Popen[bytes] | None = None
        self.started_in: float = 0.0

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        shutil.copy(TEMPLATE / "helpdesk.sqlite3", self.workdir / "helpdesk.sqlite3")
        address = f"127.0.0.1:{self.port}"
        command = [str(PEER_PYTHON), "manage.py", "runserver", "--noreload", address]
        began = time.monotonic()
        with (self.workdir / "peer.log").open("ab") as log:  # the child keeps its own copy
            self._process = subprocess.Popen(
                command,
                cwd=PROJECT,
                env=self._env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = began + 60
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"django-helpdesk exited: {self.log()[-2000:]}")
            try:
                httpx.get(f"{self.url}/api/", timeout=1)
            except httpx.HTTPError:
                time.sleep(0.1)
                continue
            self.started_in = time.monotonic() - began
            return
        self.stop()
        raise RuntimeError(f"django-helpdesk did not answer in 60 s: {self.log()[-2000:]}")

    def log(self) -> str:
        return (self.workdir / "peer.log").read_text(errors="replace")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None

    def user_id(self, username: str) -> int:
        """A helpdesk user's id (the API cannot read users), from the peer's database."""
        with sqlite3.connect(self.workdir / "helpdesk.sqlite3") as db:
            found = db.execute("SELECT id FROM auth_user WHERE username = ?", (username,))
            row = found.fetchone()
        return int(row[0])

    def agent(self) -> httpx.Client:
        """An agent working in the helpdesk, through its API."""
        headers = {"Authorization": f"Token {self.agent_token}"}
        return httpx.Client(base_url=self.url, headers=headers, timeout=10)


HUB_WEBHOOK = "/v1/channels/django-helpdesk/webhook"


class HubHooks:
    """The peer's webhooks sent to a hub: each of django-helpdesk's two webhook lists names
    the hub twice, so every change reaches it twice and must be applied once."""

    def __init__(self, hub: RealHub) -> None:
        self._hub = hub

    def url(self, path: str, secret: str = SECRET) -> str:
        return f"http://careline:{secret}@{self._hub.host}:{self._hub.port}{HUB_WEBHOOK}"


@contextmanager
def hub_feeding_helpdesk(folder: Path, *, demo: bool) -> Iterator[tuple[RealHub, HelpdeskPeer]]:
    """A hub process (on SQLite; with the demo company if `demo`) whose channel outbox
    feeds a real django-helpdesk, whose webhooks come back to the hub. Reconciliation is
    slow on purpose: the webhooks alone carry the answers."""
    require_peer()
    hub = RealHub(folder / "hub")
    peer = HelpdeskPeer(folder / "helpdesk", HubHooks(hub))
    peer.start()
    hub.env |= {
        "CARELINE_HELPDESK": "django-helpdesk",
        "CARELINE_HELPDESK_RECONCILE_SECONDS": "600",
        "CARELINE_DJANGO_HELPDESK_URL": peer.url,
        "CARELINE_DJANGO_HELPDESK_TOKEN": peer.token,
        "CARELINE_DJANGO_HELPDESK_WEBHOOK_SECRET": SECRET,
        "CARELINE_DJANGO_HELPDESK_DEFAULT_QUEUE": str(peer.queues["general"]),
        "CARELINE_DJANGO_HELPDESK_AGENTS": f"{peer.user_id('agent')}={AGENT_NAME}",
    }
    try:
        hub.start(demo=demo)
        yield hub, peer
    finally:
        hub.stop()
        peer.stop()


def tickets(peer: HelpdeskPeer) -> list[dict[str, Any]]:
    """Every ticket in the peer, as its agents' API lists them."""
    with peer.agent() as agent:
        found: list[dict[str, Any]] = agent.get("/api/tickets/").json()["results"]
        return found


def agent_follow_up(peer: HelpdeskPeer, ticket_id: int, text: str, **extra: Any) -> None:
    """An agent's follow-up in the helpdesk (public unless `public=False`)."""
    with peer.agent() as agent:
        sent = {"ticket": ticket_id, "comment": text, "public": True, **extra}
        agent.post("/api/followups/", json=sent).raise_for_status()
