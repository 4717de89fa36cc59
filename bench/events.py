"""Fan-out of live events: N concurrent `/v1/events` streams on one hub process on
loopback (SQLite); the time from publishing an incident to the last stream receiving it,
and the hub's memory per idle stream. With `--postgres URL` (an empty database), the
streams are held by one hub process and the incidents published through another, as
behind a load balancer: what crosses between them is LISTEN/NOTIFY (or polling).

    python -m bench.events [--streams 1000] [--rounds 5] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import resource
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from app.backend.crud import auth
from app.backend.crud.components import save_component
from app.backend.db import Database, migrate
from app.backend.settings import HubSettings, sqlite_url
from tests.hub_process import RealHub
from tests.support import bearer

GOAL_P99 = 2.0


def seed(folder: Path, customers: int, url: str | None = None) -> tuple[list[str], str]:
    """Customers with tokens and an operator token, written before the hub starts."""
    folder.mkdir(parents=True)
    settings = HubSettings(data_dir=folder, database_url=url or sqlite_url(folder))
    db = Database(settings.database_url)
    migrate(db)
    tokens = []
    with db.write() as conn:
        save_component(conn, component_id="flights-ord", name="Flights at ORD")
        for n in range(customers):
            customer = auth.ensure_customer(conn, email=f"fan{n}@example.com")
            tokens.append(
                auth.issue_customer_session(conn, customer=customer, settings=settings).token
            )
        operator = auth.create_operator_token(conn, scopes=["status"], label="bench", ttl_days=1)
    db.dispose()
    return tokens, operator


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Listener:
    def __init__(self) -> None:
        self.connected = asyncio.Event()
        self.arrivals: dict[str, float] = {}

    async def run(self, client: httpx.AsyncClient, token: str) -> None:
        headers = bearer(token)
        timeout = httpx.Timeout(10, read=None)
        with contextlib.suppress(httpx.HTTPError):  # the hub stopping at the end
            async with client.stream("GET", "/v1/events", headers=headers, timeout=timeout) as r:
                async for line in r.aiter_lines():
                    if line.startswith(": connected"):
                        self.connected.set()
                    elif line.startswith("data: ") and '"title":"Round ' in line:
                        title = line.split('"title":"', 1)[1].split('"', 1)[0]
                        self.arrivals.setdefault(title, time.perf_counter())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run(streams: int, rounds: int, postgres: str | None = None) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4 * streams + 256)), hard))
    folder = Path(tempfile.mkdtemp(prefix="careline-bench-events-"))
    print(f"seeding {streams:,} customers…")
    tokens, operator = seed(folder / "hub", streams, postgres)
    hub = RealHub(folder / "hub", postgres)
    hub.start(demo=False)
    assert hub.process is not None
    publisher = RealHub(folder / "publisher", postgres) if postgres else hub
    if postgres:
        publisher.start(demo=False)
        print("streams on one hub process, incidents published through another (PostgreSQL)")
    pid = hub.process.pid
    limits = httpx.Limits(max_connections=streams + 10, max_keepalive_connections=streams + 10)
    try:
        async with httpx.AsyncClient(base_url=hub.url, limits=limits) as client:
            before = rss_kib(pid)
            listeners = [Listener() for _ in tokens]
            tasks = [
                asyncio.create_task(li.run(client, t))
                for li, t in zip(listeners, tokens, strict=True)
            ]
            started = time.perf_counter()
            await asyncio.wait_for(asyncio.gather(*(li.connected.wait() for li in listeners)), 120)
            print(f"{streams:,} streams open in {time.perf_counter() - started:.1f} s")
            await asyncio.sleep(2)
            idle = rss_kib(pid)
            print(
                f"hub memory: {before / 1024:.1f} MiB before, {idle / 1024:.1f} MiB with the "
                f"streams idle: {(idle - before) / streams:.1f} KiB per idle stream"
            )
            latencies: list[float] = []
            for n in range(rounds):
                title = f"Round {n}"
                body = {
                    "title": title,
                    "impact": "critical",
                    "components": ["flights-ord"],
                    "body": "Bench round.",
                }
                published = time.perf_counter()
                made = await client.post(
                    f"{publisher.url}/v1/admin/incidents",
                    json=body,
                    headers=bearer(operator),
                )
                made.raise_for_status()
                answered = time.perf_counter()
                deadline = time.perf_counter() + 30
                while sum(title in li.arrivals for li in listeners) < streams:
                    if time.perf_counter() > deadline:
                        break
                    await asyncio.sleep(0.01)
                got = [li.arrivals[title] - published for li in listeners if title in li.arrivals]
                latencies += got
                print(
                    f"round {n}: {len(got):,}/{streams:,} received; last after "
                    f"{max(got):.3f} s, median {statistics.median(got):.3f} s "
                    f"(the publish request took {answered - published:.3f} s)"
                )
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        p99 = percentile(latencies, 0.99)
        print(
            f"\npublish -> receive over {len(latencies):,} deliveries: p50 "
            f"{percentile(latencies, 0.5):.3f} s, p99 {p99:.3f} s, max {max(latencies):.3f} s "
            f"(goal p99 <= {GOAL_P99} s): {'meets' if p99 <= GOAL_P99 else 'MISSES'}"
        )
    finally:
        hub.stop()
        publisher.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--postgres", help="an empty PostgreSQL database: two hub processes")
    args = parser.parse_args()
    asyncio.run(run(args.streams, args.rounds, args.postgres))


if __name__ == "__main__":
    main()
