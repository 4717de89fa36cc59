"""Storm-day load on loopback, printed against the goals: (a) everyone refreshing status
(200s and 304s), (b) signed-in customers syncing with nothing new, (c) writes (case
opens, replies, callback requests racing for the same slots). One hub process on SQLite,
then two on PostgreSQL; the status document also served as a static file by nginx.

    python -m bench.load [--seconds 10] [--workers 64] [--postgres URL] [--no-nginx]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from bench.load_profiles import Result, hub_usage, run_profile, status_profile
from tests.hub_process import RealHub, free_port

NGINX_CONF = """
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
    conf.write_text(NGINX_CONF.format(dir=folder, port=port))
    process = subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"])
    url = f"http://127.0.0.1:{port}"
    for _ in range(50):
        try:
            if httpx.get(f"{url}/v1/status").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    return process, url


def report(label: str, result: Result, goal: str = "") -> None:
    print(
        f"  {label:<34} {result.per_second:>8,.0f} req/s  p50 {result.p50 * 1000:6.1f} ms  "
        f"p99 {result.p99 * 1000:6.1f} ms  errors {result.errors}  {goal}"
    )


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


async def one_hub(folder: Path, seconds: float, workers: int, nginx: bool) -> None:
    hub = RealHub(folder / "hub")
    hub.start()
    assert hub.process is not None
    try:
        print("\none hub process, SQLite")
        usage = hub_usage(hub.process.pid)
        mixed = await run_profile("status", [hub], seconds=seconds, workers=workers)
        cpu, rss = usage.since()
        fast = mixed.per_second >= 3000 and mixed.p99 <= 0.05 and mixed.errors == 0
        report("(a) status, 200 and 304", mixed, f">= 3,000/s, p99 <= 50 ms: {verdict(fast)}")
        print(f"  {'':<34} hub CPU {cpu:.0%} of one core, memory {rss / 1024:.0f} MiB")
        half = seconds / 2
        fresh = await status_profile([hub], seconds=half, workers=workers, revalidate=False)
        again = await status_profile([hub], seconds=half, workers=workers, revalidate=True)
        report("    all 200", fresh)
        report("    all 304", again, f"304 cheaper: {verdict(again.p50 <= fresh.p50)}")
        for name, profile in [("(b) sync, nothing new", "pull"), ("(c) writes", "writes")]:
            result = await run_profile(profile, [hub], seconds=seconds, workers=workers)
            report(name, result, result.note)
        if nginx and shutil.which("nginx"):
            async with httpx.AsyncClient() as client:
                body = (await client.get(f"{hub.url}/v1/status")).content
            process, url = start_nginx(folder / "nginx", body)
            try:
                static = await status_profile(
                    [url], seconds=seconds, workers=workers, revalidate=False
                )
                report("nginx, the same JSON as a file", static)
                print(f"  hub / nginx (200s): {fresh.per_second / static.per_second:.2f}")
            finally:
                process.terminate()
                process.wait(10)
        elif nginx:
            print("  nginx not installed (apt-get install nginx): no side-by-side figure")
    finally:
        hub.stop()


async def two_hubs(folder: Path, url: str, seconds: float, workers: int) -> None:
    first, second = RealHub(folder / "a", url), RealHub(folder / "b", url)
    first.start()
    second.start(demo=False)
    try:
        print("\ntwo hub processes, PostgreSQL")
        for name, profile in [
            ("(a) status, 200 and 304", "status"),
            ("(b) sync, nothing new", "pull"),
            ("(c) writes", "writes"),
        ]:
            result = await run_profile(profile, [first, second], seconds=seconds, workers=workers)
            report(name, result, result.note)
    finally:
        first.stop()
        second.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=64)
    parser.add_argument("--postgres", help="a PostgreSQL URL for the two-process run")
    parser.add_argument("--no-nginx", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="careline-bench-load-"))
    (folder / "one").mkdir()
    (folder / "two").mkdir()
    asyncio.run(one_hub(folder / "one", args.seconds, args.workers, not args.no_nginx))
    if args.postgres:
        asyncio.run(two_hubs(folder / "two", args.postgres, args.seconds, args.workers))


if __name__ == "__main__":
    main()
