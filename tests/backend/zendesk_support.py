"""A fake Zendesk for the connector's tests: Zendesk cannot run here, so this answers the
requests of its documented Support API with the documented shapes (tickets listed by
`external_id`, uploads, tickets created with a requester, updated with a comment and
audit metadata, audits, comments with sideloaded users), and can fail on demand."""

from __future__ import annotations

import base64
import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any

import httpx

BASE = "https://northwind.zendesk.com"
EMAIL, TOKEN = "agent@northwind.example", "api-token-123"
AGENT = {"id": 900, "name": "Dana Agent", "role": "agent", "email": EMAIL}


@dataclass
class FakeZendesk:
    tickets: dict[int, dict[str, Any]] = field(default_factory=dict)
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    audits: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    users: dict[int, dict[str, Any]] = field(default_factory=lambda: {900: dict(AGENT)})
    uploads: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    # What the next requests matching "METHOD path-regex" answer instead: a status with
    # headers, or "lost" (act, then answer 500: the answer never came back).
    faults: list[tuple[str, int | str, dict[str, str]]] = field(default_factory=list)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(35436))
    base: str = BASE  # where it answers: its URLs (next pages, files) name it

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        line = f"{request.method} {request.url.path}"
        self.requests.append(line)
        expected = base64.b64encode(f"{EMAIL}/token:{TOKEN}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}":
            return httpx.Response(401, json={"error": "Couldn't authenticate you"})
        lost = False
        for index, (pattern, answer, headers) in enumerate(self.faults):
            if re.fullmatch(pattern, line):
                del self.faults[index]
                if answer == "lost":
                    lost = True
                    break
                return httpx.Response(int(answer), headers=headers, json={"error": "fault"})
        response = self.route(request)
        return httpx.Response(500, json={"error": "lost"}) if lost else response

    def route(self, request: httpx.Request) -> httpx.Response:
        path, method = request.url.path, request.method
        if path == "/api/v2/tickets.json" and method == "GET":
            wanted = request.url.params.get("external_id")
            found = [t for t in self.tickets.values() if t["external_id"] == wanted]
            return httpx.Response(200, json={"tickets": found, "next_page": None, "count": 1})
        if path == "/api/v2/tickets.json" and method == "POST":
            return self.create(json.loads(request.content)["ticket"])
        if path == "/api/v2/uploads.json":
            token = f"tok{len(self.uploads) + 1}"
            filename = request.url.params["filename"]
            self.uploads[token] = (filename, request.content)
            return httpx.Response(201, json={"upload": {"token": token, "attachments": []}})
        if path == "/api/v2/users/show_many.json":
            ids = [int(i) for i in request.url.params["ids"].split(",")]
            return httpx.Response(200, json={"users": [self.users[i] for i in ids]})
        if match := re.fullmatch(r"/files/(\w+)", path):
            return httpx.Response(200, content=self.uploads[match[1]][1])
        match = re.fullmatch(r"/api/v2/tickets/(\d+)(/audits|/comments)?\.json", path)
        if not match or int(match[1]) not in self.tickets:
            return httpx.Response(404, json={"error": "RecordNotFound"})
        ticket_id, part = int(match[1]), match[2]
        if part == "/audits":
            return self.page(request, "audits", self.audits[ticket_id])
        if part == "/comments":
            return self.page(request, "comments", self.comments[ticket_id])
        if method == "PUT":
            return self.update(ticket_id, json.loads(request.content)["ticket"])
        return httpx.Response(200, json={"ticket": self.tickets[ticket_id]})

    def page(self, request: httpx.Request, key: str, rows: list[Any]) -> httpx.Response:
        """Two rows a page, the next page's full URL in `next_page`, as Zendesk pages."""
        number = int(request.url.params.get("page", "1"))
        chunk = rows[(number - 1) * 2 : number * 2]
        more = len(rows) > number * 2
        following = f"{self.base}{request.url.path}?page={number + 1}" if more else None
        return httpx.Response(200, json={key: chunk, "next_page": following})

    def requester(self, person: dict[str, Any]) -> int:
        for user in self.users.values():
            if user["email"] == person["email"]:
                return int(user["id"])
        user_id = next(self.ids)
        self.users[user_id] = {"id": user_id, "role": "end-user", **person}
        return user_id

    def create(self, body: dict[str, Any]) -> httpx.Response:
        ticket_id = next(self.ids)
        requester = self.requester(body["requester"])
        self.tickets[ticket_id] = {
            "id": ticket_id,
            "external_id": body.get("external_id"),
            "subject": body["subject"],
            "status": "new",
            "requester_id": requester,
            "tags": body.get("tags", []),
        }
        self.comments[ticket_id], self.audits[ticket_id] = [], []
        audit = self.comment(ticket_id, {**body["comment"], "author_id": requester}, {})
        return httpx.Response(201, json={"ticket": self.tickets[ticket_id], "audit": audit})

    def update(self, ticket_id: int, body: dict[str, Any]) -> httpx.Response:
        ticket = self.tickets[ticket_id]
        if ticket["status"] == "closed":
            return httpx.Response(422, json={"error": "RecordInvalid"})
        if "status" in body:
            ticket["status"] = body["status"]
        custom = (body.get("metadata") or {}).get("custom") or {}
        audit = self.comment(ticket_id, body["comment"], custom) if "comment" in body else {}
        return httpx.Response(200, json={"ticket": ticket, "audit": audit})

    def comment(
        self, ticket_id: int, comment: dict[str, Any], custom: dict[str, Any]
    ) -> dict[str, Any]:
        files = [
            {
                "file_name": self.uploads[t][0],
                "content_type": "image/png",
                "content_url": f"{self.base}/files/{t}",
            }
            for t in comment.get("uploads", [])
        ]
        row = {
            "id": next(self.ids),
            "type": "Comment",
            "author_id": comment.get("author_id", AGENT["id"]),
            "body": comment["body"],
            "plain_body": comment["body"],
            "public": comment.get("public", True),
            "attachments": files,
            "created_at": "2026-12-07T10:00:00Z",
        }
        self.comments[ticket_id].append(row)
        audit = {"id": next(self.ids), "ticket_id": ticket_id, "events": [row]}
        audit["metadata"] = {"custom": custom, "system": {}}
        self.audits[ticket_id].append(audit)
        return audit

    async def asgi(self, scope: Any, receive: Any, send: Any) -> None:
        """The same fake as an ASGI app, for a hub process to reach over HTTP."""
        if scope["type"] != "http":
            return
        body, more = b"", True
        while more:
            message = await receive()
            body, more = body + message.get("body", b""), message.get("more_body", False)
        query = scope["query_string"].decode()
        url = f"{self.base}{scope['path']}" + (f"?{query}" if query else "")
        headers = [(k.decode(), v.decode()) for k, v in scope["headers"]]
        response = self.handle(httpx.Request(scope["method"], url, headers=headers, content=body))
        start = {"type": "http.response.start", "status": response.status_code}
        start["headers"] = [(k.encode(), v.encode()) for k, v in response.headers.items()]
        await send(start)
        await send({"type": "http.response.body", "body": response.content})

    def agent_says(self, ticket_id: int, body: str, *, public: bool = True) -> int:
        audit = self.comment(ticket_id, {"body": body, "public": public}, {})
        return int(audit["events"][0]["id"])
