"""Reading `/v1/events` from a real hub process, one Server-Sent Events stream per reader."""

from __future__ import annotations

import json
import queue
import threading
from typing import Any

import httpx

from tests.hub_process import RealHub
from tests.support import bearer


class EventReader:
    """Reads one SSE stream in a thread; `next()` waits for the next event."""

    def __init__(self, hub: RealHub, token: str | None, last_event_id: int | None = None) -> None:
        """A customer's stream, or (without a token) the public one."""
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.comments: list[str] = []
        headers = bearer(token) if token else {}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        path = "/v1/events" if token else "/v1/events/public"
        self._client = httpx.Client(base_url=hub.url, timeout=httpx.Timeout(10, read=60))
        self._response = self._client.send(
            self._client.build_request("GET", path, headers=headers), stream=True
        )
        assert self._response.status_code == 200, self._response.read()
        assert self._response.headers["content-type"].startswith("text/event-stream")
        self._connected = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        assert self._connected.wait(10), "the stream says it is connected at once"

    def _read(self) -> None:
        fields: dict[str, str] = {}
        try:
            for line in self._response.iter_lines():
                if line.startswith(":"):
                    self.comments.append(line)
                    self._connected.set()
                elif line:
                    name, _, value = line.partition(": ")
                    fields[name] = value
                elif "data" in fields:
                    self.events.put({**json.loads(fields["data"]), "sse_id": fields.get("id")})
                    fields = {}
        except httpx.HTTPError:
            pass

    def next(self, timeout: float = 5.0) -> dict[str, Any]:
        return self.events.get(timeout=timeout)

    def nothing_within(self, seconds: float) -> bool:
        try:
            self.events.get(timeout=seconds)
        except queue.Empty:
            return True
        return False

    def close(self) -> None:
        self._response.close()
        self._client.close()
