"""How a hub is deployed: dev mode never switches on silently or for other machines, its
files are its owner's alone, and proxy headers are believed only from a trusted proxy.
Each test runs real hub processes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path

import httpx
import pytest

from tests.hub_process import RealHub, free_port

pytestmark = pytest.mark.server
_emails = count()


def _without_smtp(hub: RealHub) -> RealHub:
    for name in [name for name in hub.env if name.startswith("CARELINE_SMTP_")]:
        del hub.env[name]
    for name in ("CARELINE_DEV_MODE", "CARELINE_FORWARDED_ALLOW_IPS", "FORWARDED_ALLOW_IPS"):
        hub.env.pop(name, None)
    return hub


@contextmanager
def running(hub: RealHub) -> Iterator[RealHub]:
    hub.start(demo=False)
    try:
        yield hub
    finally:
        hub.stop()


def test_dev_mode_refuses_an_address_other_machines_reach(tmp_path: Path) -> None:
    hub = _without_smtp(RealHub(tmp_path / "hub"))
    command = [sys.executable, "-m", "app.backend", "serve", "--data-dir", str(hub.data_dir)]
    process = subprocess.Popen(
        [*command, "--host", "0.0.0.0", "--port", str(free_port())],
        env=hub.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _out, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("the hub served dev mode on 0.0.0.0")
    assert process.returncode == 2
    assert "dev mode" in err and "CARELINE_DEV_MODE=1" in err


def test_dev_mode_on_loopback_says_so_at_start(tmp_path: Path) -> None:
    with running(_without_smtp(RealHub(tmp_path / "hub"))) as hub:
        log = hub.log_path.read_text()
    assert "DEV MODE" in log and "auth codes" in log


def _modes(folder: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(folder.stat().st_mode)}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = stat.S_IMODE(path.stat().st_mode)
    return found


def test_data_folder_and_database_are_the_owners_alone(tmp_path: Path) -> None:
    """Made owner-only from the start (even with the usual umask 022), and an older
    world-readable folder is tightened at the next start."""
    hub = _without_smtp(RealHub(tmp_path / "hub"))
    usual = os.umask(0o022)
    try:
        with running(hub):
            started = httpx.post(f"{hub.url}/v1/auth/start", json={"email": "ann@example.com"})
            assert started.status_code == 202  # a dev-mode code now waits in the database
            modes = _modes(hub.data_dir)
        assert {"hub.sqlite3", "hub.sqlite3-wal", "hub.sqlite3-shm"} <= modes.keys()
        assert modes["."] == 0o700
        assert {name: mode for name, mode in modes.items() if mode & 0o077} == {}

        hub.data_dir.chmod(0o755)
        for path in hub.data_dir.iterdir():
            path.chmod(0o644)
        with running(hub):
            modes = _modes(hub.data_dir)
        # The folder closes everything in it; the database files are closed themselves too.
        assert modes["."] == 0o700
        assert modes["hub.sqlite3"] == modes["hub.sqlite3-wal"] == modes["hub.sqlite3-shm"] == 0o600
    finally:
        os.umask(usual)


# Linux routes all of 127.0.0.0/8 to loopback: a client can send from any of these
# addresses, so the hub on 127.0.0.1 sees a trusted proxy and an untrusted peer apart.
PROXY = "127.0.0.2"
STRANGER = "127.0.0.3"


def _client_from(address: str) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address))


def _trusting_proxy(tmp_path: Path) -> RealHub:
    hub = _without_smtp(RealHub(tmp_path / "hub"))
    hub.env["CARELINE_FORWARDED_ALLOW_IPS"] = PROXY
    return hub


def _starts_until_refused(
    hub: RealHub, client: httpx.Client, forwarded_for: str, most: int = 300
) -> int:
    """Sign-in starts, each for a new email, until the hub answers 429; how many passed."""
    for passed in range(most):
        answer = _post_start(hub, client, forwarded_for)
        if answer.status_code == 429:
            return passed
        assert answer.status_code == 202, answer.text
    pytest.fail(f"no limit after {most} sign-in starts")


def _post_start(hub: RealHub, client: httpx.Client, forwarded_for: str) -> httpx.Response:
    email = f"customer{next(_emails)}@example.com"
    headers = {"X-Forwarded-For": forwarded_for}
    return client.post(f"{hub.url}/v1/auth/start", json={"email": email}, headers=headers)


def _start(hub: RealHub, client: httpx.Client, forwarded_for: str) -> int:
    return _post_start(hub, client, forwarded_for).status_code


def test_forwarded_for_from_an_untrusted_peer_is_ignored(tmp_path: Path) -> None:
    """A peer that is not the trusted proxy: its header is ignored, and everyone behind
    it shares its limit."""
    with running(_trusting_proxy(tmp_path)) as hub, _client_from(STRANGER) as client:
        assert _starts_until_refused(hub, client, "203.0.113.1") > 0
        assert _start(hub, client, "203.0.113.2") == 429


def test_two_customers_behind_a_trusted_proxy_have_their_own_limits(tmp_path: Path) -> None:
    with running(_trusting_proxy(tmp_path)) as hub, _client_from(PROXY) as client:
        assert _starts_until_refused(hub, client, "203.0.113.1") > 0
        assert _start(hub, client, "203.0.113.2") == 202
        # A customer's own X-Forwarded-For comes first, and the proxy adds the address it
        # saw (nginx's $proxy_add_x_forwarded_for): the hub counts what the proxy saw.
        assert _start(hub, client, "198.51.100.7, 203.0.113.1") == 429
