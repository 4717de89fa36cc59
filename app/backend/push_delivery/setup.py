"""The push dispatcher a hub process runs, from its settings."""

from __future__ import annotations

import urllib.request

import httpx

from app.backend.db import Database
from app.backend.push_delivery.base import PushAdapter
from app.backend.push_delivery.dispatcher import PushDispatcher
from app.backend.push_delivery.fcm import FcmAdapter
from app.backend.push_delivery.webpush import WebPushAdapter, load_vapid, resolve
from app.backend.settings import HubSettings


def build_dispatcher(
    settings: HubSettings, db: Database
) -> tuple[PushDispatcher, httpx.AsyncClient]:
    """Web Push always; FCM when a project and a token file are configured."""
    client = httpx.AsyncClient(timeout=httpx.Timeout(10.0), http1=True)
    # Through an outbound proxy (HTTPS_PROXY, which httpx follows) the proxy resolves.
    proxied = bool(urllib.request.getproxies().get("https"))
    adapters: dict[str, PushAdapter] = {
        "webpush": WebPushAdapter(
            load_vapid(settings.data_dir),
            client,
            contact=settings.push_contact,
            resolver=None if proxied else resolve,
        )
    }
    if settings.fcm_project and settings.fcm_token_file:
        token_file = settings.fcm_token_file

        async def token() -> str:
            # Read at each send: whatever refreshes the token rewrites the file.
            return token_file.read_text().strip()

        adapters["fcm"] = FcmAdapter(client, project=settings.fcm_project, access_token=token)
    return PushDispatcher(db, adapters), client
