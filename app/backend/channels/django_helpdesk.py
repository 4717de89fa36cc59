"""The connector for django-helpdesk, over its REST API (`/api/tickets/`, `/api/followups/`).

- Its API is staff-only: the token belongs to a staff user (DRF `Authorization: Token`).
- The case id goes in the ticket's custom field `careline_case` (a varchar field the
  helpdesk's admin creates, see peers/django_helpdesk). The API cannot filter on it, so
  `find_ticket` pages through the tickets newest first (tickets are ordered by id).
- Everything Careline writes carries a marker line, `[careline message <id>]` and the like:
  `has_comment` finds a message by it, and `changes` never hands Careline's own writing back.
- A follow-up posted with a `title` renames the ticket, so none is ever sent.
- The API names a follow-up's author by user id only and has no way to read a user, so
  the agents' names come from settings (user id = name).
- Neither the API nor a webhook carries a file: a follow-up lists its attachments with a
  link into MEDIA_ROOT, which the helpdesk's web server serves (without the API's token,
  which is not sent there). The hub fetches them after the webhook, from the follow-up
  as `/api/followups/<id>/` describes it.
- django-helpdesk does not sign its webhooks: the shared secret rides in its webhook URL as
  `http://careline:SECRET@hub/...`, which its HTTP client sends as Basic authorization."""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import math
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin

import httpx

from app.backend.channels.connector import (
    Attachment,
    CommentDraft,
    ConnectorRefused,
    ConnectorUnavailable,
    ExternalChange,
    ExternalReply,
    ExternalStatus,
    ForgedWebhook,
    TicketDraft,
    TicketStatus,
)
from app.backend.channels.django_helpdesk_wire import (
    CASE_FIELD,
    marked,
    marker,
    solved_status,
    ticket_changes,
    ticket_status,
)
from app.backend.channels.helpdesk_http import send
from app.backend.settings import HubSettings, SettingsError

OPEN, REOPENED, RESOLVED = 1, 2, 3  # django-helpdesk's default status ids
NORMAL_PRIORITY = 3
PAGE_SIZE = 50


class DjangoHelpdeskConnector:
    """One django-helpdesk site. `queues` maps a Careline category to a queue id; other
    categories go to `default_queue`; `agents` a helpdesk user id to the agent's name."""

    name = "django-helpdesk"

    def __init__(
        self,
        url: str,
        token: str,
        webhook_secret: str,
        *,
        queues: Mapping[str, int] | None = None,
        default_queue: int = 1,
        agents: Mapping[int, str] | None = None,
        timeout: float = 10.0,
        page_size: int = PAGE_SIZE,
    ) -> None:
        if not webhook_secret:
            raise ValueError("a webhook secret is required: django-helpdesk does not sign")
        self._secret = webhook_secret.encode()
        self._queues = dict(queues or {})
        self._default_queue = default_queue
        self._agents = dict(agents or {})
        self._page_size = page_size
        self._timeout = httpx.Timeout(timeout, connect=min(timeout, 5.0))
        self._http = httpx.AsyncClient(
            base_url=url.rstrip("/"),
            headers={"Authorization": f"Token {token}", "Accept": "application/json"},
            timeout=self._timeout,
        )

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await send(self._http, "django-helpdesk", method, path, **kwargs)
        try:
            return response.json()
        except ValueError as error:
            raise ConnectorUnavailable(f"django-helpdesk sent no JSON for {path}") from error

    async def _ticket(self, ticket_id: str) -> dict[str, Any]:
        if not (ticket_id.isascii() and ticket_id.isdigit()):
            raise ConnectorRefused(f"{ticket_id!r} is not a django-helpdesk ticket id")
        found: dict[str, Any] = await self._call("GET", f"/api/tickets/{ticket_id}/")
        return found

    async def find_ticket(self, case_id: str) -> str | None:
        """The API cannot filter on a custom field: look through the open tickets first
        (where one whose answer was just lost is), then through all. Finding nothing
        reads every ticket, so it is for retries, not for every new case."""
        for status in (f"{OPEN},{REOPENED}", None):
            if found := await self._scan(case_id, status):
                return found
        return None

    async def _scan(self, case_id: str, status: str | None) -> str | None:
        params: dict[str, str | int] = {"page_size": self._page_size}
        if status:
            params["status"] = status
        first = await self._call("GET", "/api/tickets/", params=params)
        pages = max(1, math.ceil(int(first.get("count", 0)) / self._page_size))
        for page in range(pages, 0, -1):  # tickets are ordered by id: the newest last
            listing = first
            if page > 1:
                listing = await self._call("GET", "/api/tickets/", params={**params, "page": page})
            for ticket in reversed(listing.get("results", [])):
                if ticket.get(CASE_FIELD) == case_id:
                    return str(ticket["id"])
        return None

    async def create_ticket(self, draft: TicketDraft) -> str:
        fields = {
            "queue": str(self._queues.get(draft.category or "", self._default_queue)),
            "title": draft.subject[:200],
            "description": marked(draft.description, "case", draft.case_id),
            "submitter_email": draft.requester_email,
            "priority": str(NORMAL_PRIORITY),
            CASE_FIELD: draft.case_id,
        }
        first, rest = draft.attachments[:1], draft.attachments[1:]
        # The ticket takes one file; any others follow in a comment marked with the case id.
        files = _files("attachment", first)
        created = await self._call("POST", "/api/tickets/", data=fields, files=files)
        if CASE_FIELD not in created:
            raise ConnectorRefused(
                f"django-helpdesk has no custom field {CASE_FIELD.removeprefix('custom_')!r}: "
                "create it (varchar, 64) so tickets can be found again"
            )
        ticket_id = str(created["id"])
        if rest:
            note = CommentDraft(draft.case_id, draft.case_id, "", draft.requester_email, rest)
            await self.add_comment(ticket_id, note)
        return ticket_id

    async def has_comment(self, ticket_id: str, message_id: str) -> bool:
        wanted = marker("message", message_id)
        ticket = await self._ticket(ticket_id)
        return any(wanted in (f.get("comment") or "") for f in ticket.get("followup_set", []))

    async def add_comment(self, ticket_id: str, draft: CommentDraft) -> str:
        ticket = await self._ticket(ticket_id)
        fields = {
            "ticket": ticket_id,
            "comment": marked(draft.body, "message", draft.message_id),
            "public": "true",
        }
        if solved_status(ticket.get("status")):  # a customer reply reopens the ticket
            fields["new_status"] = str(REOPENED)
        followup = await self._call(
            "POST", "/api/followups/", data=fields, files=_files("attachments", draft.attachments)
        )
        return str(followup["id"])

    async def set_status(self, ticket_id: str, status: TicketStatus) -> None:
        ticket = await self._ticket(ticket_id)
        if ticket_status(ticket.get("status")) == status:
            return
        new = RESOLVED if status is TicketStatus.solved else REOPENED
        text = "The customer marked the case solved in Careline."
        if status is TicketStatus.open:
            text = "The case was reopened in Careline."
        fields = {
            "ticket": ticket_id,
            "comment": marked(text, "status", status.value),
            "public": "false",  # an internal note: django-helpdesk mails public ones
            "new_status": str(new),
        }
        await self._call("POST", "/api/followups/", data=fields)

    async def changes(self, ticket_id: str) -> list[ExternalChange]:
        return ticket_changes(await self._ticket(ticket_id), self._agents)

    async def fetch_attachments(
        self, reply: ExternalReply, max_bytes: int
    ) -> tuple[Attachment, ...]:
        """The follow-up's files, each read to at most `max_bytes + 1` bytes."""
        if not reply.comment_id.isdigit():
            raise ConnectorRefused(f"{reply.comment_id!r} is not a django-helpdesk follow-up id")
        followup = await self._call("GET", f"/api/followups/{reply.comment_id}/")
        found: list[Attachment] = []
        async with httpx.AsyncClient(timeout=self._timeout) as media:  # no API token there
            for item in followup.get("followupattachment_set") or []:
                url = urljoin(f"{self._http.base_url}/", str(item["file"]))
                found.append(
                    Attachment(
                        filename=item.get("filename") or url.rsplit("/", 1)[-1],
                        content_type=item.get("mime_type") or "application/octet-stream",
                        data=await _download(media, url, max_bytes + 1),
                    )
                )
        return tuple(found)

    def read_webhook(self, headers: Mapping[str, str], body: bytes) -> list[ExternalChange]:
        """A new-ticket or follow-up webhook. The secret comes as the password of Basic
        authorization; a body that authenticates but does not parse is refused."""
        if not hmac.compare_digest(_basic_password(headers), self._secret):
            raise ForgedWebhook("django-helpdesk webhook without the shared secret")
        try:
            payload = json.loads(body)
            ticket = payload["ticket"]
            followup_id = payload.get("followup_id")
            changes = ticket_changes(ticket, self._agents)
        except (ValueError, KeyError, TypeError) as error:
            raise ConnectorRefused(f"malformed django-helpdesk webhook: {error!r}") from None
        return [
            change
            for change in changes
            if isinstance(change, ExternalStatus) or change.comment_id == str(followup_id)
        ]

    async def aclose(self) -> None:
        await self._http.aclose()


def from_settings(settings: HubSettings) -> DjangoHelpdeskConnector | None:
    """The connector the hub's settings describe; None when no django-helpdesk is set."""
    if not settings.django_helpdesk_url:
        return None
    if not settings.django_helpdesk_token:
        raise SettingsError("CARELINE_DJANGO_HELPDESK_URL is set but not ..._TOKEN")
    if not settings.django_helpdesk_webhook_secret:
        raise SettingsError("CARELINE_DJANGO_HELPDESK_URL is set but not ..._WEBHOOK_SECRET")
    return DjangoHelpdeskConnector(
        settings.django_helpdesk_url,
        settings.django_helpdesk_token,
        settings.django_helpdesk_webhook_secret,
        queues=dict(settings.django_helpdesk_queues),
        default_queue=settings.django_helpdesk_default_queue,
        agents=dict(settings.django_helpdesk_agents),
    )


async def _download(client: httpx.AsyncClient, url: str, limit: int) -> bytes:
    """At most `limit` bytes of the file at `url`; a file that cannot be read now is
    `ConnectorUnavailable` (the reply waits for the next reconciliation)."""
    data = bytearray()
    try:
        async with client.stream("GET", url, follow_redirects=True) as response:
            if response.status_code != 200:
                raise ConnectorUnavailable(f"django-helpdesk file answered {response.status_code}")
            async for chunk in response.aiter_bytes():
                data += chunk
                if len(data) >= limit:
                    break
    except httpx.HTTPError as error:
        raise ConnectorUnavailable(f"django-helpdesk file unreachable: {error!r}") from None
    return bytes(data[:limit])


def _files(name: str, attachments: tuple[Attachment, ...]) -> list[tuple[str, Any]] | None:
    if not attachments:
        return None
    return [(name, (a.filename, a.data, a.content_type)) for a in attachments]


def _basic_password(headers: Mapping[str, str]) -> bytes:
    value = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
    scheme, _, encoded = value.partition(" ")
    if scheme.lower() != "basic":
        return b""
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        return b""
    return decoded.partition(b":")[2]
