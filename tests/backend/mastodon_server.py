"""A stand-in for a Mastodon instance's public hashtag timeline, a real HTTP server on
loopback (Mastodon cannot be reached from here). It answers as Mastodon's API
documentation (docs.joinmastodon.org, methods/timelines, "View hashtag timeline")
describes: `GET /api/v1/timelines/tag/:hashtag` with `limit` (default 20, at most 40),
`max_id`, `since_id` and `min_id` (the statuses right after it), newest first, 404
`{"error": "Record not found"}` for a hashtag it has never seen, 401 when the instance
lets only signed-in users read it. Faults queued in `faults` answer the next requests
(429 with Retry-After, 503), and every request's query is kept in `requests`."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

# Shaped like the documentation's sample timeline for #cats (ids and times too).
DOCUMENTED = [
    {
        "id": "103206185588894565",
        "created_at": "2019-11-26T20:50:15.866Z",
        "visibility": "public",
        "language": "en",
        "url": "https://mastodon.social/@someone/103206185588894565",
        "spoiler_text": "",
        "content": '<p><a href="https://mastodon.social/tags/cats" class="mention hashtag" '
        'rel="tag">#<span>cats</span></a></p>',
        "tags": [{"name": "cats", "url": "https://mastodon.social/tags/cats"}],
        "account": {"acct": "someone", "display_name": "Some One"},
    },
    {
        "id": "103203659567597966",
        "created_at": "2019-11-26T10:07:49.000Z",
        "visibility": "public",
        "language": "de",
        "url": "https://chaos.social/@other/103203659567597966",
        "spoiler_text": "",
        "content": "<p>Caught on the hop. \U0001f63a </p><p>"
        '<a href="https://chaos.social/tags/Qualit%C3%A4tskatzen" class="mention hashtag" '
        'rel="nofollow noopener noreferrer" target="_blank">#<span>Qualitätskatzen</span></a> '
        '<a href="https://chaos.social/tags/cats" class="mention hashtag" rel="nofollow">'
        "#<span>cats</span></a><br>(photo: "
        '<span class="h-card"><a href="https://chaos.social/@kernpanik" class="u-url mention">'
        "@<span>kernpanik</span></a></span> | license: CC BY-NC-SA 4.0)</p>",
        "tags": [
            {"name": "qualitätskatzen", "url": "https://mastodon.social/tags/qualit%C3%A4tskatzen"},
            {"name": "cats", "url": "https://mastodon.social/tags/cats"},
        ],
        "account": {"acct": "other@chaos.social", "display_name": "Other"},
    },
]


def status(number: int, moment: datetime, html: str, tag: str, **extra: Any) -> dict[str, Any]:
    """A public status with id `number` (Mastodon's ids are numeric strings)."""
    return {
        "id": str(number),
        "created_at": moment.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "visibility": "public",
        "language": "en",
        "url": f"https://example.social/@someone/{number}",
        "spoiler_text": "",
        "content": html,
        "tags": [{"name": tag.lower(), "url": f"https://example.social/tags/{tag}"}],
        "account": {"acct": "someone", "display_name": "Some One"},
        **extra,
    }


def statuses(first: int, count: int, start: datetime, text: str, tag: str) -> list[dict[str, Any]]:
    """`count` statuses a minute apart from `start`, ids from `first` upwards."""
    link = f'<a href="https://example.social/tags/{tag}" class="mention hashtag">'
    html = f"<p>{text} {link}#<span>{tag}</span></a></p>"
    return [status(first + i, start + timedelta(minutes=i), html, tag) for i in range(count)]


@dataclass
class FakeMastodon:
    statuses: list[dict[str, Any]] = field(default_factory=lambda: list(DOCUMENTED))
    faults: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    requests: list[dict[str, str]] = field(default_factory=list)
    signed_in_only: bool = False

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        self.requests.append({"path": path, **query})
        if self.faults:
            code, headers = self.faults.pop(0)
            return code, headers, {"error": "Too many requests" if code == 429 else "Oops"}
        prefix = "/api/v1/timelines/tag/"
        if not path.startswith(prefix):
            return 404, {}, {"error": "Not found"}
        if self.signed_in_only:
            return 401, {}, {"error": "The access token is invalid"}
        tag = unquote(path[len(prefix) :]).lower()
        tagged = [s for s in self.statuses if any(t["name"] == tag for t in s["tags"])]
        if not tagged:
            return 404, {}, {"error": "Record not found"}
        limit = min(int(query.get("limit", "20")), 40)

        def key(s: dict[str, Any]) -> tuple[int, str]:
            return len(s["id"]), s["id"]

        def above(bound: str) -> list[dict[str, Any]]:
            return [s for s in tagged if key(s) > (len(bound), bound)]

        if "max_id" in query:
            tagged = [s for s in tagged if key(s) < (len(query["max_id"]), query["max_id"])]
        if "min_id" in query:  # the statuses right after min_id, newest first
            page = sorted(above(query["min_id"]), key=key)[:limit]
            return 200, {}, sorted(page, key=key, reverse=True)
        if "since_id" in query:
            tagged = above(query["since_id"])
        return 200, {}, sorted(tagged, key=key, reverse=True)[:limit]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        code, headers, body = self.server.fake.answer(parts.path, query)
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass


class _Server(ThreadingHTTPServer):
    fake: FakeMastodon


class Running:
    """The fake served on 127.0.0.1 until `stop()`."""

    def __init__(self, fake: FakeMastodon) -> None:
        self.fake = fake
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.fake = fake
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
