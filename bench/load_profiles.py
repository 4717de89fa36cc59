"""The load generator behind `bench.load` (and its short form in the tests): asyncio
workers over httpx on loopback, bounded in count and time."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from tests.hub_process import RealHub

CUSTOMERS = 8


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 1.0
    note: str = ""
    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds

    def quantile(self, share: float) -> float:
        ordered = sorted(self.latencies) or [0.0]
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    @property
    def p50(self) -> float:
        return self.quantile(0.5)

    @property
    def p99(self) -> float:
        return self.quantile(0.99)


class Usage:
    """CPU time and memory of a process since it was made."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.started = time.monotonic()
        self.cpu = self._cpu()

    def _cpu(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def since(self) -> tuple[float, int]:
        """Share of one core used, and resident memory in KiB."""
        share = (self._cpu() - self.cpu) / (time.monotonic() - self.started)
        rss = next(
            int(line.split()[1])
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines()
            if line.startswith("VmRSS:")
        )
        return share, rss


def hub_usage(pid: int) -> Usage:
    return Usage(pid)


def base(target: RealHub | str) -> str:
    return target if isinstance(target, str) else target.url


async def drive(
    targets: list[RealHub | str],
    seconds: float,
    workers: int,
    one: Any,
) -> Result:
    """Run `one(client, url, worker)` in a loop on each worker until time is up."""
    result = Result(seconds=seconds)
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=workers, max_keepalive_connections=workers)

    async def worker(n: int, client: httpx.AsyncClient) -> None:
        url = base(targets[n % len(targets)])
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                outcome = await one(client, url, n)
            except httpx.HTTPError:
                outcome = "error"
            result.latencies.append(time.perf_counter() - started)
            result.outcomes[outcome] += 1
            if outcome == "error":
                result.errors += 1

    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        await asyncio.gather(*(worker(n, client) for n in range(workers)))
    return result


async def status_profile(
    targets: list[RealHub | str], *, seconds: float, workers: int, revalidate: bool | None
) -> Result:
    """GET /v1/status: fresh (200), revalidated (304), or alternating when None."""
    etags: dict[str, str] = {}

    async def one(client: httpx.AsyncClient, url: str, n: int) -> str:
        again = revalidate if revalidate is not None else n % 2 == 1
        headers = {"If-None-Match": etags[url]} if again and url in etags else {}
        response = await client.get(f"{url}/v1/status", headers=headers)
        if response.status_code == 200 and "etag" in response.headers:
            etags[url] = response.headers["etag"]
        return str(response.status_code) if response.status_code in (200, 304) else "error"

    return await drive(targets, seconds, workers, one)


def mutation(name: str, **args: Any) -> dict[str, Any]:
    return {
        "seq": 1,
        "key": str(uuid.uuid4()),
        "name": name,
        "args": args,
        "created_at": datetime.now(UTC).isoformat(),
    }


async def run_profile(name: str, hubs: list[RealHub], *, seconds: float, workers: int) -> Result:
    if name == "status":
        return await status_profile(list(hubs), seconds=seconds, workers=workers, revalidate=None)
    tokens = [
        hubs[0].sign_in(f"load{n}-{uuid.uuid4().hex[:6]}@example.com")["token"]
        for n in range(CUSTOMERS)
    ]
    if name == "pull":
        return await pull_profile(hubs, tokens, seconds=seconds, workers=workers)
    return await writes_profile(hubs, tokens, seconds=seconds, workers=workers)


async def pull_profile(
    hubs: list[RealHub], tokens: list[str], *, seconds: float, workers: int
) -> Result:
    """Signed-in customers asking for changes with nothing new to give."""
    cursors: dict[str, str] = {}
    async with httpx.AsyncClient(base_url=hubs[0].url, timeout=30) as client:
        for token in tokens:
            cursor = None
            while True:
                page = await client.get(
                    "/v1/sync/pull",
                    params={"limit": 500, **({"cursor": cursor} if cursor else {})},
                    headers={"Authorization": f"Bearer {token}"},
                )
                body = page.json()
                cursor = body["cursor"]
                if not body["has_more"]:
                    break
            cursors[token] = cursor or ""

    async def one(client: httpx.AsyncClient, url: str, n: int) -> str:
        token = tokens[n % len(tokens)]
        response = await client.get(
            f"{url}/v1/sync/pull",
            params={"cursor": cursors[token]},
            headers={"Authorization": f"Bearer {token}"},
        )
        empty = response.status_code == 200 and not response.json()["changes"]
        return "empty" if empty else "error"

    return await drive(list(hubs), seconds, workers, one)


async def writes_profile(
    hubs: list[RealHub], tokens: list[str], *, seconds: float, workers: int
) -> Result:
    """Case opens, replies and callback requests racing for the same three slots; then
    checks that no slot holds more than its places and no acknowledged write is lost."""
    async with httpx.AsyncClient(base_url=hubs[0].url, timeout=30) as client:
        found = await client.get(
            "/v1/callbacks/availability", params={"queue": "rebooking", "limit": 3}
        )
        slots = found.json()["slots"]
    capacity = {s["start"]: s["remaining"] for s in slots}
    applied: list[tuple[str, str]] = []

    async def one(client: httpx.AsyncClient, url: str, n: int) -> str:
        token = tokens[n % len(tokens)]
        kind = n % 3
        if kind == 0:
            sent = mutation("case.open", subject=f"Load {n}", description="Storm day")
        else:
            start = slots[n % len(slots)]["start"]
            sent = mutation(
                "callback.request", queue="rebooking", mode="slot", phone="+13125550100",
                slot_start=start,
            )  # fmt: skip
        response = await client.post(
            f"{url}/v1/sync/push",
            json={"client_id": f"load-{n}", "mutations": [sent]},
            headers={"Authorization": f"Bearer {token}"},
        )
        if response.status_code == 429:
            return "rate_limited"
        if response.status_code != 200:
            return "error"
        [outcome] = response.json()["results"]
        if outcome["status"] == "applied":
            applied.append((sent["name"], outcome["entity"]["id"]))
        return (
            str(outcome["status"]) if outcome["status"] != "rejected" else outcome["error"]["code"]
        )

    result = await drive(list(hubs), seconds, workers, one)
    operator = hubs[0].cli("token", "create", "--scope", "callbacks", "cases").split()[-1]
    async with httpx.AsyncClient(base_url=hubs[0].url, timeout=30) as client:
        headers = {"Authorization": f"Bearer {operator}"}
        booked = (await client.get("/v1/admin/callbacks", headers=headers)).json()["items"]
    per_slot = Counter(c["slot_start"] for c in booked if c["status"] == "scheduled")
    over = {s: n for s, n in per_slot.items() if s in capacity and n > capacity[s]}
    kept = {c["id"] for c in booked}
    lost = [i for name, i in applied if name == "callback.request" and i not in kept]
    result.note = f"{dict(result.outcomes)}; double bookings: {len(over)}; lost writes: {len(lost)}"
    result.errors += len(over) + len(lost)
    return result
