"""The helpdesk's webhooks: what its agents did, signed by the helpdesk, applied to the
case (a public reply becomes the agent's message; solved or closed solves the case)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from app.backend.channels.connector import ForgedWebhook
from app.backend.deps import HubDep
from app.backend.problems import ProblemError

router = APIRouter(prefix="/v1/channels", tags=["channels"])


class WebhookResult(BaseModel):
    received: int = Field(description="Changes the webhook reported.")
    applied: int = Field(description="Of those, changes the hub did not have yet.")


@router.post("/{connector}/webhook", response_model=WebhookResult)
async def webhook(connector: str, request: Request, hub: HubDep) -> WebhookResult:
    """Authenticated by the helpdesk's own signature or shared secret, not a token: a
    forged one answers 401. A webhook delivered twice adds nothing the second time."""
    channel = hub.channel_outbox
    if channel is None or channel.connector.name != connector:
        detail = f"No helpdesk connector {connector!r} is configured on this hub."
        raise ProblemError(404, "Not found", detail)
    body = await request.body()
    try:
        changes = channel.connector.read_webhook(request.headers, body)
    except ForgedWebhook as forged:
        raise ProblemError(401, "Unauthorized", str(forged), slug="forged-webhook") from None
    except ValueError as bad:
        raise ProblemError(422, "Unprocessable webhook", str(bad)) from None

    received = len(changes)
    changes = await channel.complete(changes)  # the files the webhook only names

    def apply() -> int:
        with hub.db.write() as conn:
            return channel.apply(conn, changes)

    applied = await run_in_threadpool(apply)
    return WebhookResult(received=received, applied=applied)
