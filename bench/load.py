"""Storm-day load on loopback, printed against the goals: (a) everyone refreshing status
(200s and 304s), (b) signed-in customers syncing with nothing new, (c) writes (case
opens, replies, callback requests racing for the same slots). One hub process on SQLite,
then two on PostgreSQL; the status document also served as a static file by nginx.

Reads are driven by wrk (a C client, so the figures measure the hub, not the generator);
writes by the asyncio generator of `bench.load_profiles`, which checks every outcome.

    python -m bench.load [--seconds 10] [--connections 16] [--postgres URL] [--no-nginx]
                         [--idle-only]

`--idle-only` runs just (b) beside the status 304s it should cost about as much as.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import httpx

from bench.load_profiles import caught_up_cursors, hub_usage, sign_in_customers, writes_profile
from bench.wrk import WrkFigures, start_wrk, wrk_available, wrk_figures
from tests.hub_process import RealHub, free_port
from tests.support import bearer

# Its worker runs as the user running the bench, so it can read the bench's private folder.
NGINX_CONF = """
user {user};
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi; uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location /v1/status {{ default_type application/json; alias {dir}/status.json; }}
    }}
}}
"""


def start_nginx(folder: Path, status_json: bytes) -> tuple[subprocess.Popen[bytes], str]:
    folder.mkdir(parents=True)
    (folder / "status.json").write_bytes(status_json)
    port = free_port()
    conf = folder / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=folder, port=port, user=getpass.getuser()))
    process = subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"])
    url = f"http://127.0.0.1:{port}"
    for _ in range(50):
        try:
            if httpx.get(f"{url}/v1/status").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    return process, url


class Figures(Protocol):
    """What a report shows: wrk's figures or the asyncio generator's."""

    @property
    def per_second(self) -> float: ...
    @property
    def p50(self) -> float: ...
    @property
    def p99(self) -> float: ...
    @property
    def errors(self) -> int: ...


def report(label: str, result: Figures, goal: str = "") -> None:
    print(
        f"  {label:<34} {result.per_second:>8,.0f} req/s  p50 {result.p50 * 1000:6.1f} ms  "
        f"p99 {result.p99 * 1000:6.1f} ms  errors {result.errors}  {goal}"
    )


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


Requests = list[tuple[str, dict[str, str]]]
GOAL_RATE = 3000  # status requests a second each hub process must answer
IDLE_GOAL = 1.5  # an idle signed-in sync costs at most this many status 304s


def status_requests(etag: str, revalidate: bool | None) -> Requests:
    """Fresh reads (200), revalidations (304), or half of each when None."""
    fresh: Requests = [("/v1/status", {})]
    again: Requests = [("/v1/status", {"If-None-Match": etag})]
    return fresh if revalidate is False else again if revalidate else fresh + again


async def pull_requests(hub: RealHub, tokens: list[str]) -> Requests:
    cursors = await caught_up_cursors(hub, tokens)
    return [(f"/v1/sync/pull?cursor={cursor}", bearer(token)) for token, cursor in cursors.items()]


def read_load(
    urls: list[str],
    requests: Requests,
    seconds: float,
    connections: int,
    rate: float | None = None,
) -> Figures:
    """wrk against every URL at once (each at most `rate` requests a second when given);
    requests per second add up, the worst p99 counts."""
    share = connections // len(urls)
    runs = [start_wrk(url, requests, seconds=seconds, connections=share, rate=rate) for url in urls]
    each = [wrk_figures(run) for run in runs]
    return WrkFigures(
        requests=sum(f.requests for f in each),
        seconds=max(f.seconds for f in each),
        p50=max(f.p50 for f in each),
        p99=max(f.p99 for f in each),
        errors=sum(f.errors for f in each),
    )


async def current_etag(url: str) -> tuple[bytes, str]:
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{url}/v1/status")
    return response.content, response.headers["etag"]


def hub_figures(hubs: list[RealHub], run: Callable[[], Figures]) -> tuple[Figures, str]:
    """Run the load and say how much CPU and memory the hubs used meanwhile."""
    usages = [hub_usage(hub.process.pid) for hub in hubs if hub.process is not None]
    figures = run()
    used = [usage.since() for usage in usages]
    cpu = " + ".join(f"{share:.0%}" for share, _ in used)
    memory = " + ".join(f"{rss / 1024:.0f}" for _, rss in used)
    return figures, f"hub CPU {cpu} of one core, memory {memory} MiB"


async def storm(hubs: list[RealHub], seconds: float, connections: int) -> Figures:
    """The three profiles against these hubs; returns the all-200 status figures."""
    urls = [hub.url for hub in hubs]
    _, etag = await current_etag(urls[0])
    mixed, usage = hub_figures(
        hubs, lambda: read_load(urls, status_requests(etag, None), seconds, connections)
    )
    report("(a) status, 200 and 304, most", mixed, f">= {GOAL_RATE * len(hubs):,}/s")
    print(f"  {'':<34} {usage}")
    # Latency at the goal's rate, not at saturation (where it only measures the queue).
    pacers = 2 * connections * len(hubs)  # enough connections that each waits ~10 ms
    paced = read_load(urls, status_requests(etag, None), seconds, pacers, GOAL_RATE)
    fast = mixed.per_second >= GOAL_RATE * len(hubs) and paced.p99 <= 0.05
    fast = fast and mixed.errors == paced.errors == 0
    report(
        f"    at ~{GOAL_RATE:,}/s per hub",
        paced,
        f"p99 <= 50 ms, no errors: {verdict(fast)}",
    )
    fresh = read_load(urls, status_requests(etag, False), seconds / 2, connections)
    again = read_load(urls, status_requests(etag, True), seconds / 2, connections)
    report("    all 200", fresh)
    cheaper = again.per_second > fresh.per_second and again.p50 <= fresh.p50
    report("    all 304", again, f"304 cheaper: {verdict(cheaper)}")
    tokens = sign_in_customers(hubs[0])
    pulls = await pull_requests(hubs[0], tokens)
    idle, usage = hub_figures(hubs, lambda: read_load(urls, pulls, seconds, connections))
    report("(b) sync, nothing new", idle)
    print(f"  {'':<34} {usage}")
    writes = await writes_profile(hubs, tokens, seconds=seconds, workers=connections)
    report("(c) writes", writes, writes.note)
    return fresh


def cpu_per_request(
    hubs: list[RealHub], run: Callable[[], Figures], seconds: float
) -> tuple[Figures, float]:
    """Run the load; the hubs' CPU seconds per request answered meanwhile (a cost the
    other processes of a shared machine disturb less than the rate does)."""
    usages = [hub_usage(hub.process.pid) for hub in hubs if hub.process is not None]
    figures = run()
    cpu = sum(share * (time.monotonic() - usage.started) for usage in usages
              for share, _ in [usage.since()])  # fmt: skip
    return figures, cpu / max(1.0, figures.per_second * seconds)


async def idle_syncs(hubs: list[RealHub], seconds: float, connections: int) -> None:
    """Signed-in syncs with nothing new beside status 304s, and what one costs of the other."""
    urls = [hub.url for hub in hubs]
    _, etag = await current_etag(urls[0])
    again, again_cpu = cpu_per_request(
        hubs, lambda: read_load(urls, status_requests(etag, True), seconds, connections), seconds
    )
    report("status, all 304", again)
    pulls = await pull_requests(hubs[0], sign_in_customers(hubs[0]))
    idle, idle_cpu = cpu_per_request(
        hubs, lambda: read_load(urls, pulls, seconds, connections), seconds
    )
    near = idle_cpu <= IDLE_GOAL * again_cpu
    report("(b) sync, nothing new", idle)
    print(
        f"  hub CPU per request: 304 {again_cpu * 1e6:,.0f} us, idle sync "
        f"{idle_cpu * 1e6:,.0f} us ({idle_cpu / again_cpu:.1f}x); "
        f"goal <= {IDLE_GOAL}x: {verdict(near)}"
    )


async def one_hub(
    folder: Path, seconds: float, connections: int, nginx: bool, idle_only: bool = False
) -> None:
    hub = RealHub(folder / "hub")
    hub.start()
    try:
        print("\none hub process, SQLite")
        if idle_only:
            await idle_syncs([hub], seconds, connections)
            return
        fresh = await storm([hub], seconds, connections)
        if nginx and shutil.which("nginx"):
            body, _ = await current_etag(hub.url)
            process, url = start_nginx(folder / "nginx", body)
            try:
                static = read_load([url], [("/v1/status", {})], seconds / 2, connections)
                report("nginx, the same JSON as a file", static)
                print(f"  hub / nginx (200s): {fresh.per_second / static.per_second:.2f}")
            finally:
                process.terminate()
                process.wait(10)
        elif nginx:
            print("  nginx not installed (apt-get install nginx): no side-by-side figure")
    finally:
        hub.stop()


async def two_hubs(
    folder: Path, url: str, seconds: float, connections: int, idle_only: bool = False
) -> None:
    first, second = RealHub(folder / "a", url), RealHub(folder / "b", url)
    first.start()
    second.start(demo=False)
    try:
        print("\ntwo hub processes, PostgreSQL")
        if idle_only:
            await idle_syncs([first, second], seconds, connections)
        else:
            await storm([first, second], seconds, connections)
    finally:
        first.stop()
        second.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--postgres", help="a PostgreSQL URL for the two-process run")
    parser.add_argument("--no-nginx", action="store_true")
    parser.add_argument("--idle-only", action="store_true", help="(b) beside status 304s")
    args = parser.parse_args()
    if not wrk_available():
        raise SystemExit("bench.load drives reads with wrk: apt-get install wrk")
    folder = Path(tempfile.mkdtemp(prefix="careline-bench-load-"))
    (folder / "one").mkdir()
    (folder / "two").mkdir()
    nginx = not (args.no_nginx or args.idle_only)
    asyncio.run(one_hub(folder / "one", args.seconds, args.connections, nginx, args.idle_only))
    if args.postgres:
        asyncio.run(
            two_hubs(folder / "two", args.postgres, args.seconds, args.connections, args.idle_only)
        )


if __name__ == "__main__":
    main()
