"""Read-heavy load driven by wrk (Debian's `wrk`), a C client fast enough that the figures
measure the server rather than the generator. Each run cycles through a fixed list of
requests (path and headers) and reports through a Lua `done` hook. Unpaced, wrk sends as
fast as answers come (the most the server does); paced, each connection waits between
requests, so the latency is measured at a given rate rather than at saturation."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

# The requests are made in `init`: before it wrk has not set the Host header, and a
# request without one is a 400 for nginx (uvicorn lets it through).
SCRIPT = """
local requests = {}
local n = 0
init = function(_)
  requests = {%(requests)s}
end
request = function()
  n = n %% #requests + 1
  return requests[n]
end
%(pacing)s
done = function(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    '\\nCARELINE {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, '
    .. '"errors": %%d}\\n', summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), e.connect + e.read + e.write + e.timeout + e.status))
end
"""


@dataclass(frozen=True)
class WrkFigures:
    requests: int
    seconds: float
    p50: float
    p99: float
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal here


def _lua_request(path: str, headers: dict[str, str]) -> str:
    fields = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items())
    return f'wrk.format("GET", {_lua_string(path)}, {{{fields}}})'


def start_wrk(
    url: str,
    requests: list[tuple[str, dict[str, str]]],
    *,
    seconds: float,
    connections: int,
    rate: float | None = None,
) -> subprocess.Popen[str]:
    """Start wrk against `url`, cycling through `requests`, at most `rate` requests a
    second when given; read it with `wrk_figures`."""
    script = Path(tempfile.mkdtemp(prefix="careline-wrk-")) / "load.lua"
    lua = ",\n".join(_lua_request(path, headers) for path, headers in requests)
    # wrk's delay is whole milliseconds after each answer, per connection.
    pause = f"delay = function() return {connections * 1000 // rate} end" if rate else ""
    script.write_text(SCRIPT % {"requests": lua, "pacing": pause})
    command = [
        "wrk",
        "--threads",
        "1",
        "--connections",
        str(connections),
        "--duration",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "--script",
        str(script),
        url,
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def wrk_figures(process: subprocess.Popen[str]) -> WrkFigures:
    output, _ = process.communicate(timeout=600)
    line = next(line for line in output.splitlines() if line.startswith("CARELINE "))
    found = json.loads(line.removeprefix("CARELINE "))
    return WrkFigures(
        requests=found["requests"],
        seconds=found["duration_us"] / 1e6,
        p50=found["p50_us"] / 1e6,
        p99=found["p99_us"] / 1e6,
        errors=found["errors"],
    )
