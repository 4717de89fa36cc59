"""Pushes waiting to go out, grouped per push service host and per device. Each host
has at most `per_host` workers, so a slow or silent host delays only its own devices;
one device's pushes go out one at a time, in the order they were claimed. How many wait
is bounded by the batches the hub holds (`fanout`), so none is ever dropped here."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar
from urllib.parse import urlsplit

from app.backend.push_delivery.base import Device

log = logging.getLogger("careline.push")
Job = TypeVar("Job")  # one push to send, as the sender needs it


def host_of(device: Device) -> str:
    """The push service a device's pushes go to: the endpoint's host for Web Push, the
    platform (one service) for the others."""
    if device.platform != "webpush":
        return device.platform
    try:
        return (urlsplit(device.endpoint).hostname or "").lower()
    except ValueError:
        return ""


class Lanes(Generic[Job]):
    """`send` sends one push (retries included) and records how it went."""

    def __init__(self, send: Callable[[Device, Job], Awaitable[None]], *, per_host: int) -> None:
        self._send = send
        self._per_host = max(1, per_host)
        self._waiting: dict[str, deque[str]] = {}  # host: devices no worker has taken yet
        self._queued: dict[str, tuple[Device, deque[Job]]] = {}  # device id: pushes
        self._workers: dict[str, int] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._idle = asyncio.Event()
        self._idle.set()
        self.pending = 0

    def add(self, device: Device, job: Job) -> None:
        host = host_of(device)
        entry = self._queued.get(device.id)
        if entry is None:
            entry = self._queued[device.id] = (device, deque())
            self._waiting.setdefault(host, deque()).append(device.id)
        entry[1].append(job)
        self.pending += 1
        self._idle.clear()
        if self._waiting.get(host) and self._workers.get(host, 0) < self._per_host:
            self._workers[host] = self._workers.get(host, 0) + 1
            task = asyncio.create_task(self._work(host), name=f"careline-push-{host}")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def idle(self) -> None:
        """Wait until every push added is out (or given up)."""
        await self._idle.wait()

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _work(self, host: str) -> None:
        waiting = self._waiting[host]
        try:
            while waiting:
                device_id = waiting.popleft()
                device, pushes = self._queued[device_id]
                try:
                    await self._drain(device, pushes)
                finally:
                    del self._queued[device_id]
                    self._done(len(pushes))
        finally:
            self._workers[host] -= 1
            if not self._workers[host]:
                del self._workers[host]
                if not waiting:
                    self._waiting.pop(host, None)

    async def _drain(self, device: Device, pushes: deque[Job]) -> None:
        """Send a device's pushes in order, including any added meanwhile."""
        while pushes:
            job = pushes.popleft()
            try:
                await self._send(device, job)
            except Exception:  # a lost database: the next pushes may go through
                log.exception("push to %s failed", device.id)
            finally:
                self._done(1)

    def _done(self, count: int) -> None:
        self.pending -= count
        if self.pending == 0:
            self._idle.set()
