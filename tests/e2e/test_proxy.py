"""The app hosted the way the README says: Debian's nginx with the shipped configuration
(build/nginx/careline.conf) in front of two app processes sharing one data folder and the
hub, all under one HTTPS address. A browser keeps to one app process; sent elsewhere, it
is still the same device."""

from __future__ import annotations

import getpass
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.support import (
    DESKTOP,
    AppProcess,
    device_key,
    open_page,
    sign_in_when_asked,
    start_app,
    stop_app,
    type_into,
    with_semantics,
)
from tests.hub_process import RealHub, free_port

SITE = Path(__file__).resolve().parents[2] / "build" / "nginx" / "careline.conf"
MAIN = """
{user}
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi; uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
    include {dir}/careline.conf;
    log_format careline '$request_uri $status upstream=$upstream_addr';
    access_log {dir}/access.log careline;
}}
"""
SUBJECT = "Missed connection at ORD"


@dataclass
class Proxy:
    url: str
    folder: Path
    apps: list[AppProcess]
    hub: RealHub

    def upstreams(self, path: str) -> set[str]:
        """The app processes nginx sent requests for `path` to."""
        lines = (self.folder / "access.log").read_text().splitlines()
        return {line.split("upstream=")[1] for line in lines if line.startswith(path)}


def site_conf(folder: Path, https_port: int, apps: list[AppProcess], hub: RealHub) -> str:
    """The shipped configuration with this test's ports and a self-signed certificate."""
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-keyout", str(folder / "key.pem")),
            *("-out", str(folder / "cert.pem")),
        ],
        check=True,
        capture_output=True,
    )
    conf = SITE.read_text()
    ports = [app.url.rsplit(":", 1)[1] for app in apps]
    replacements = {
        "server 127.0.0.1:8550;": f"server 127.0.0.1:{ports[0]};",
        "server 127.0.0.1:8551;": f"server 127.0.0.1:{ports[1]};",
        "server 127.0.0.1:8765;": f"server 127.0.0.1:{hub.port};",
        "listen 80;": f"listen 127.0.0.1:{free_port()};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "/etc/letsencrypt/live/help.example.com/fullchain.pem": str(folder / "cert.pem"),
        "/etc/letsencrypt/live/help.example.com/privkey.pem": str(folder / "key.pem"),
    }
    for shipped, here in replacements.items():
        assert shipped in conf, shipped
        conf = conf.replace(shipped, here)
    return conf


@pytest.fixture
def proxy(hub: RealHub, tmp_path: Path) -> Iterator[Proxy]:
    if shutil.which("nginx") is None:
        if os.environ.get("CARELINE_REQUIRE_BROWSER"):
            pytest.fail("the proxy journey needs Debian's nginx (.ci/run installs it)")
        pytest.skip("no nginx (apt-get install nginx)")
    folder = tmp_path / "nginx"
    folder.mkdir()
    data = tmp_path / "app"  # one data folder for both app processes
    apps = [start_app(hub, data, tmp_path / f"app{n}.log") for n in range(2)]
    port = free_port()
    (folder / "careline.conf").write_text(site_conf(folder, port, apps, hub))
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(MAIN.format(dir=folder, user=user))
    with (folder / "stderr.log").open("wb") as stderr:
        nginx = subprocess.Popen(
            ["nginx", "-c", str(folder / "nginx.conf"), "-g", "daemon off;"], stderr=stderr
        )
    url = f"https://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(url, verify=False, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                assert nginx.poll() is None, (folder / "stderr.log").read_text()
            assert time.monotonic() < deadline, "nginx did not answer"
            time.sleep(0.1)
        yield Proxy(url, folder, apps, hub)
    finally:
        nginx.terminate()
        nginx.wait(timeout=15)
        for app in apps:
            stop_app(app.process)


def test_a_journey_through_nginx_to_two_app_processes(chromium: Browser, proxy: Proxy) -> None:
    # The hub answers under the same address.
    status = httpx.get(f"{proxy.url}/v1/status", verify=False)
    assert status.status_code == 200 and status.json()["components"]
    summary = httpx.get(f"{proxy.url}/api/v2/summary.json", verify=False)
    assert summary.status_code == 200 and "page" in summary.json()

    page = open_page(chromium, f"{proxy.url}/cases/new", viewport=DESKTOP, secure=True)
    expect(page.get_by_role("group", name=re.compile("^Sign in to open a case"))).to_be_visible(
        timeout=30_000
    )
    via_proxy = AppProcess(proxy.url, proxy.apps[0].process, proxy.hub, proxy.apps[0].data_dir)
    sign_in_when_asked(page, via_proxy, "ines@example.com")
    expect(page).to_have_url(re.compile(r"/cases/new$"), timeout=15_000)
    type_into(page, "Subject", SUBJECT, delay=15)
    type_into(page, "Describe what happened", "Inbound NW 88 was two hours late.", delay=5)
    page.get_by_role("button", name="Send case").click()
    expect(page.get_by_text(re.compile(r"^Case #\d+$"))).to_be_visible(timeout=20_000)
    assert any(SUBJECT in line for line in proxy.hub.cli("case", "list").splitlines())
    for _ in range(3):  # every reload finds the same window's process, signed in
        page.goto(f"{proxy.url}/cases")
        with_semantics(page)
        expect(page.get_by_role("button", name=re.compile(f"^{SUBJECT}"))).to_be_visible(
            timeout=30_000
        )
    [home] = proxy.upstreams("/ws")  # sticky: one app process for all of it
    assert page.context.cookies()[0]["name"] == "careline_node"

    # Sent to the other process (a lost cookie, a process gone): still the same device.
    other = next(a for a in proxy.apps if not a.url.endswith(home.rsplit(":", 1)[1]))
    elsewhere = open_page(
        chromium, f"{other.url}/account", viewport=DESKTOP, device=device_key(page)
    )
    expect(elsewhere.get_by_text("Signed in as ines@example.com")).to_be_visible(timeout=30_000)
