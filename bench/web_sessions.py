"""The app hosted for many visitors, against a hello-world Flet app measured the same way
in the same run:

- time to the first Status screen for the 1st visitor and for the last of N at once
  (real headless Chromium pages for the 1st and a sample of the last; the rest are
  lightweight visitors: Flet's own WebSocket protocol spoken from Python, answering what
  a browser answers, holding their sessions open);
- the app server's memory per connected visitor;
- the memory of an idle signed-in device (its store, sync and live event stream, no
  window), measured in this process against a real hub;
- that the public content is held once per process: one public store open, however many
  visitors, and one personal store per device.

    python -m bench.web_sessions [--visitors 200] [--sample 5] [--devices 200]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import msgpack
from playwright.sync_api import sync_playwright
from websockets.asyncio.client import connect

from app.state.hosting import Hosting
from bench.app import HELLO, serve, time_to_text
from tests.e2e.support import ARGS, CHROMIUM
from tests.hub_process import RealHub

STORM = "Winter storm at Chicago O'Hare"
GOALS = "goals: memory per visitor <= 2x hello world's; Nth visitor's first screen <= 2x the 1st's"


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def open_files(pid: int, suffix: str) -> int:
    """How many of the process's open files end with `suffix`."""
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):  # closed meanwhile
            count += os.readlink(fd).endswith(suffix)
    return count


PAGE = {
    "route": "/status",
    "pwa": False,
    "web": True,
    "debug": False,
    "wasm": True,
    "test": False,
    "multi_view": False,
    "pyodide": False,
    "platform_brightness": "light",
    "width": 390.0,
    "height": 844.0,
    "platform": "linux",
    "window": {},
    "media": {"device_pixel_ratio": 1.0, "orientation": "portrait"},
}


def packet(message: list[object]) -> bytes:
    packed: bytes = msgpack.packb(message)
    return b"\x00" + packed


async def visit(url: str, text: str, shown: asyncio.Future[float], leave: asyncio.Event) -> None:
    """A lightweight visitor: registers a page session the way Flet's web client does,
    answers the server's method calls as a new browser does (its storage holds nothing
    yet), notes when `text` first arrives, and stays until `leave`."""
    started = time.perf_counter()
    async with connect(url.replace("http://", "ws://") + "/ws", max_size=None) as socket:
        await socket.send(packet([1, {"session_id": None, "page_name": "", "page": PAGE}]))
        while not shown.done():
            frame = await socket.recv()
            data = frame if isinstance(frame, bytes) else frame.encode()
            if text.encode() in data:
                shown.set_result(time.perf_counter() - started)
            message = msgpack.unpackb(data[1:]) if data[:1] == b"\x00" else None
            if isinstance(message, list) and message[0] == 5:  # a method call: answer it
                call = message[1]
                result = True if call.get("name") == "set" else None
                answer = {"control_id": call["control_id"], "call_id": call["call_id"]}
                await socket.send(packet([5, {**answer, "result": result, "error": None}]))
        await leave.wait()


class Crowd:
    """Lightweight visitors, on an event loop in a thread of their own (Playwright's sync
    API holds this thread's loop)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.tasks: list[asyncio.Task[None]] = []
        self.leave: asyncio.Event | None = None

    def arrive(self, url: str, text: str, count: int) -> list[float]:
        """`count` visitors at once; returns each one's time to its first screen, once all
        have it (they stay connected until `go`)."""
        return asyncio.run_coroutine_threadsafe(self._arrive(url, text, count), self.loop).result()

    async def _arrive(self, url: str, text: str, count: int) -> list[float]:
        self.leave = asyncio.Event()
        shown = [self.loop.create_future() for _ in range(count)]
        self.tasks = [self.loop.create_task(visit(url, text, f, self.leave)) for f in shown]
        return list(await asyncio.wait_for(asyncio.gather(*shown), 600))

    def go(self) -> None:
        asyncio.run_coroutine_threadsafe(self._go(), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()

    async def _go(self) -> None:
        if self.leave is not None:
            self.leave.set()
        await asyncio.gather(*self.tasks, return_exceptions=True)


@dataclass
class Figures:
    first: float
    last: float
    crowd_p50: float
    per_visitor_kib: float
    settled_kib: float  # a minute later, the visitors still connected


def measure(url: str, pid: int, text: str, visitors: int, sample: int, settle: float) -> Figures:
    """The 1st visitor (a real page), then visitors - sample lightweight ones held open,
    then `sample` real pages: the last is the Nth visitor. Memory is read as the crowd
    has arrived and again `settle` seconds later (the server has closed idle files)."""
    light = visitors - 1 - sample
    crowd = Crowd()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        time_to_text(browser, url, text)  # warm: the server's first page, the browser's cache
        first = time_to_text(browser, url, text)
        before = rss_kib(pid)
        times = crowd.arrive(url, text, light)
        after = rss_kib(pid)
        last = [time_to_text(browser, url, text) for _ in range(sample)]
        browser.close()
    time.sleep(settle)
    settled = rss_kib(pid)
    crowd.go()
    return Figures(
        first,
        last[-1],
        statistics.median(times),
        (after - before) / light,
        (settled - before) / light,
    )


async def idle_devices(hub: RealHub, folder: Path, count: int) -> float:
    """KiB per loaded, signed-in device with its live stream open and no window."""
    hosting = Hosting(folder, hub.url)
    await hosting.start()
    sessions = hub.sessions([f"idle{n}@example.com" for n in range(count)])
    await asyncio.sleep(2)
    before = rss_kib(os.getpid())
    for token, customer in sessions:
        device, _ = await hosting.devices.attach(None)
        await asyncio.to_thread(device.runtime.personal.account.sign_in, token, customer)
        device.runtime.live.restart()
        hosting.devices.detach(device)
    deadline = time.monotonic() + 60
    while not all(d.runtime.live.connected for d in hosting.devices.loaded.values()):
        assert time.monotonic() < deadline, "streams did not connect"
        await asyncio.sleep(0.2)
    per_device = (rss_kib(os.getpid()) - before) / count
    await hosting.close()
    return per_device


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visitors", type=int, default=200)
    parser.add_argument("--sample", type=int, default=5, help="real pages among the last")
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--settle", type=float, default=70, help="seconds before memory again")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="careline-web-bench-"))
    (folder / "hello.py").write_text(HELLO)
    hub = RealHub(folder / "hub")
    hub.start()
    app_cmd = [
        *(sys.executable, "-m", "app", "--web", "--hub", hub.url),
        *("--data-dir", str(folder / "app"), "--port"),
    ]
    app, app_url = serve(app_cmd, folder / "app.log")
    hello, hello_url = serve([sys.executable, str(folder / "hello.py")], folder / "hello.log")
    try:
        ours = measure(app_url, app.pid, STORM, args.visitors, args.sample, args.settle)
        public = open_files(app.pid, "content.sqlite3")
        personal = open_files(app.pid, "careline.sqlite3")
        theirs = measure(
            hello_url, hello.pid, "Hello, world", args.visitors, args.sample, args.settle
        )
    finally:
        for process in (app, hello):
            process.terminate()
            process.wait()
    device_kib = asyncio.run(idle_devices(hub, folder / "idle", args.devices))
    hub.stop()

    n = args.visitors
    print(f"{n} visitors at once; {GOALS}")
    print(f"{'':28} {'Careline':>10} {'hello world':>12} {'ratio':>7}")
    rows = [
        ("1st visitor, first screen", ours.first, theirs.first, "s"),
        (f"{n}th visitor, first screen", ours.last, theirs.last, "s"),
        ("lightweight visitors, p50", ours.crowd_p50, theirs.crowd_p50, "s"),
        ("memory per visitor", ours.per_visitor_kib, theirs.per_visitor_kib, "KiB"),
        ("  the same, a minute later", ours.settled_kib, theirs.settled_kib, "KiB"),
    ]
    for label, mine, hello_figure, unit in rows:
        ratio = mine / hello_figure if hello_figure else float("nan")
        print(f"{label:28} {mine:>8.2f}{unit:>2} {hello_figure:>10.2f}{unit:>2} {ratio:>6.2f}x")
    print(f"Nth / 1st visitor: Careline {ours.last / ours.first:.2f}x, hello world "
          f"{theirs.last / theirs.first:.2f}x")  # fmt: skip
    print(f"public stores open: {public}, however many visitors")
    print(f"personal stores still open a minute later: {personal} of {n} devices")
    print(f"idle signed-in device (store, sync, live stream; no window): {device_kib:.0f} KiB")


if __name__ == "__main__":
    main()
