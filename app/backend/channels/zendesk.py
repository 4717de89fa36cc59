"""The Zendesk connector, written against Zendesk's documented Support API (tickets,
uploads, audits, comments) and its signed event webhooks. It has not run against a live
Zendesk: the tests drive it against fakes built from the documented examples.

- A case's ticket carries the case id as `external_id`; `find_ticket` lists tickets by it.
- The customer is the requester (by email and name) and the author of their comments.
- A customer's comment carries Careline's message id as custom audit metadata, which
  `has_comment` finds in the ticket's audits: the marker is invisible to agents.
- Only public comments by staff come back; the ticket's first comment (the case's own
  description) and the customer's comments do not.
- Webhooks are Zendesk's event webhooks (`zen:event-type:ticket.comment_added` and
  `ticket.status_changed`), signed base64(HMAC-SHA256(timestamp + body))."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from app.backend.channels.connector import (
    Attachment,
    CommentDraft,
    ConnectorUnavailable,
    ExternalChange,
    ExternalReply,
    ExternalStatus,
    ForgedWebhook,
    TicketDraft,
    TicketStatus,
)
from app.backend.channels.helpdesk_http import send

MARKER = "careline_message_id"  # the custom audit metadata key of a customer's comment
SOLVED = {"solved", "closed"}  # every other Zendesk status is open to Careline
MAX_PAGES = 50  # pages of audits or comments read for one ticket


def _tag(text: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_")[:80]


class ZendeskConnector:
    name = "zendesk"

    def __init__(
        self,
        base_url: str,
        *,
        email: str,
        api_token: str,
        webhook_secret: str,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 20.0,
    ) -> None:
        self.webhook_secret = webhook_secret.encode()
        self.client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            auth=(f"{email}/token", api_token),
            timeout=timeout,
            transport=transport,
            headers={"Accept": "application/json"},
        )

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        """The JSON answer (`helpdesk_http.send` says which answers are errors)."""
        response = await send(self.client, "Zendesk", method, path, **kwargs)
        return response.json() if response.content else {}

    async def _pages(self, path: str, key: str, **params: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        page = await self._call("GET", path, params=params)
        for _ in range(MAX_PAGES):
            found.extend(page.get(key) or [])
            if not page.get("next_page"):
                break
            page = await self._call("GET", page["next_page"])
        return found

    async def find_ticket(self, case_id: str) -> str | None:
        tickets = await self._pages("/api/v2/tickets.json", "tickets", external_id=case_id)
        return str(tickets[0]["id"]) if tickets else None

    async def _uploads(self, files: tuple[Attachment, ...]) -> list[str]:
        tokens = []
        for file in files:
            answer = await self._call(
                "POST",
                "/api/v2/uploads.json",
                params={"filename": file.filename},
                content=file.data,
                headers={"Content-Type": file.content_type},
            )
            tokens.append(str(answer["upload"]["token"]))
        return tokens

    async def create_ticket(self, draft: TicketDraft) -> str:
        comment: dict[str, Any] = {"body": draft.description, "public": True}
        if draft.attachments:
            comment["uploads"] = await self._uploads(draft.attachments)
        requester = {"email": draft.requester_email, "name": draft.requester_name}
        if not draft.requester_name:
            requester["name"] = draft.requester_email.split("@")[0]
        tags = ["careline"] + ([_tag(draft.category)] if draft.category else [])
        ticket = {
            "subject": draft.subject,
            "comment": comment,
            "requester": requester,
            "external_id": draft.case_id,
            "tags": [t for t in tags if t],
        }
        answer = await self._call("POST", "/api/v2/tickets.json", json={"ticket": ticket})
        return str(answer["ticket"]["id"])

    async def _ticket(self, ticket_id: str) -> dict[str, Any]:
        answer = await self._call("GET", f"/api/v2/tickets/{ticket_id}.json")
        ticket: dict[str, Any] = answer["ticket"]
        return ticket

    async def has_comment(self, ticket_id: str, message_id: str) -> bool:
        audits = await self._pages(f"/api/v2/tickets/{ticket_id}/audits.json", "audits")
        return any(
            ((audit.get("metadata") or {}).get("custom") or {}).get(MARKER) == message_id
            for audit in audits
        )

    async def add_comment(self, ticket_id: str, draft: CommentDraft) -> str:
        ticket = await self._ticket(ticket_id)
        comment: dict[str, Any] = {
            "body": draft.body,
            "public": True,
            "author_id": ticket["requester_id"],
        }
        if draft.attachments:
            comment["uploads"] = await self._uploads(draft.attachments)
        update: dict[str, Any] = {
            "comment": comment,
            "metadata": {"custom": {MARKER: draft.message_id}},
        }
        if ticket.get("status") in SOLVED:  # the customer's word reopens it
            update["status"] = "open"
        answer = await self._call(
            "PUT", f"/api/v2/tickets/{ticket_id}.json", json={"ticket": update}
        )
        audit = answer.get("audit") or {}
        for event in audit.get("events") or []:
            if event.get("type") == "Comment":
                return str(event["id"])
        return f"audit-{audit.get('id', '')}"

    async def set_status(self, ticket_id: str, status: TicketStatus) -> None:
        ticket = await self._ticket(ticket_id)
        if (ticket.get("status") in SOLVED) == (status is TicketStatus.solved):
            return
        wanted = "solved" if status is TicketStatus.solved else "open"
        await self._call(
            "PUT", f"/api/v2/tickets/{ticket_id}.json", json={"ticket": {"status": wanted}}
        )

    async def changes(self, ticket_id: str) -> list[ExternalChange]:
        ticket = await self._ticket(ticket_id)
        path = f"/api/v2/tickets/{ticket_id}/comments.json"
        comments = await self._pages(path, "comments", include="users")
        users = await self._users({c["author_id"] for c in comments})
        found: list[ExternalChange] = []
        for comment in comments[1:]:  # the first is the case's own description
            author = users.get(comment["author_id"], {})
            if (
                not comment.get("public")
                or comment["author_id"] == ticket["requester_id"]
                or author.get("role") == "end-user"
            ):
                continue
            files = [await self._download(a) for a in comment.get("attachments") or []]
            found.append(
                ExternalReply(
                    ticket_id=ticket_id,
                    comment_id=str(comment["id"]),
                    body=comment.get("plain_body") or comment.get("body") or "",
                    author_name=author.get("name"),
                    created_at=_time(comment.get("created_at")),
                    attachments=tuple(files),
                )
            )
        found.append(ExternalStatus(ticket_id, _status(str(ticket.get("status")))))
        return found

    async def _users(self, ids: set[int]) -> dict[int, dict[str, Any]]:
        if not ids:
            return {}
        many = ",".join(str(i) for i in sorted(ids))
        answer = await self._call("GET", "/api/v2/users/show_many.json", params={"ids": many})
        return {u["id"]: u for u in answer.get("users") or []}

    async def _download(self, attachment: dict[str, Any]) -> Attachment:
        try:
            response = await self.client.get(attachment["content_url"], follow_redirects=True)
        except httpx.HTTPError as error:
            raise ConnectorUnavailable(f"Zendesk attachment unreachable: {error!r}") from None
        if response.status_code != 200:
            raise ConnectorUnavailable(f"Zendesk attachment answered {response.status_code}")
        return Attachment(
            filename=attachment.get("file_name") or "attachment",
            content_type=attachment.get("content_type") or "application/octet-stream",
            data=response.content,
        )

    async def fetch_attachments(
        self, reply: ExternalReply, max_bytes: int
    ) -> tuple[Attachment, ...]:
        """Nothing to fetch: `changes` downloads a reply's files, and a webhook's reply
        with files is left to it."""
        return reply.attachments

    def read_webhook(self, headers: Mapping[str, str], body: bytes) -> list[ExternalChange]:
        lowered = {k.lower(): v for k, v in headers.items()}
        signature = lowered.get("x-zendesk-webhook-signature", "")
        stamp = lowered.get("x-zendesk-webhook-signature-timestamp", "")
        if not self.webhook_secret or not signature or not stamp:
            raise ForgedWebhook("unsigned webhook")
        expected = sign(self.webhook_secret, stamp, body)
        if not hmac.compare_digest(expected.encode(), signature.encode()):
            raise ForgedWebhook("webhook signature does not match")
        try:
            return _events(json.loads(body))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"not a Zendesk ticket event: {error!r}") from None

    async def aclose(self) -> None:
        await self.client.aclose()


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    """Zendesk's webhook signature: base64(HMAC-SHA256(timestamp + body))."""
    digest = hmac.new(secret, timestamp.encode() + body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _events(payload: dict[str, Any]) -> list[ExternalChange]:
    """The changes one event webhook reports; an event of another kind reports none."""
    kind = str(payload["type"])
    ticket_id = str(payload["detail"]["id"])
    event = payload.get("event") or {}
    if kind.endswith("ticket.status_changed"):
        return [ExternalStatus(ticket_id, _status(str(event["current"])))]
    if not kind.endswith("ticket.comment_added"):
        return []
    comment = event["comment"]
    author = comment.get("author") or {}
    if not comment.get("is_public") or not author.get("is_staff"):
        return []  # internal notes and the customer's own comments never come back
    if comment.get("attachments"):
        return []  # the event holds no files: reconciliation brings the reply with them
    reply = ExternalReply(
        ticket_id=ticket_id,
        comment_id=str(comment["id"]),
        body=str(comment.get("body") or ""),
        author_name=author.get("name"),
        created_at=_time(payload.get("time")),
    )
    return [reply]


def _status(text: str) -> TicketStatus:
    return TicketStatus.solved if text.lower() in SOLVED else TicketStatus.open


def _time(text: Any) -> datetime:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC)
