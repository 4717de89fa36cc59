"""The push dispatcher a hub process runs, from its settings."""

from __future__ import annotations

import importlib.util
import logging
import urllib.request

import httpx

from app.backend.db import Database
from app.backend.push_delivery.base import PushAdapter
from app.backend.push_delivery.dispatcher import PushDispatcher
from app.backend.push_delivery.fcm import FcmAdapter
from app.backend.push_delivery.targets import (
    CheckedBackend,
    PushTransport,
    Resolver,
    parse_stand_ins,
    resolve,
)
from app.backend.push_delivery.webpush import WebPushAdapter, load_vapid
from app.backend.settings import HubSettings

log = logging.getLogger("careline.push")
# HTTP/2 (offered by ALPN; a service that does not speak it gets HTTP/1.1) needs h2,
# which the hub extra brings (httpx[http2]).
HTTP2 = importlib.util.find_spec("h2") is not None


def push_client(
    settings: HubSettings, *, resolver: Resolver = resolve, http2: bool = HTTP2
) -> httpx.AsyncClient:
    """The client pushes go out with: only https on port 443 to public addresses, checked
    on each connection; through HTTPS_PROXY when one is set (the proxy resolves then, and
    must refuse addresses inside the network itself). Its connections are kept alive and
    shared by every push to the same service: one multiplexed HTTP/2 connection per
    service where it speaks HTTP/2, else up to `per_host` HTTP/1.1 ones."""
    limits = settings.push_limits
    proxy = urllib.request.getproxies().get("https")
    stand_ins = parse_stand_ins(settings.push_stand_ins)
    if stand_ins:
        log.warning("push stand-ins in use (tests and development only): %s", stand_ins)
    backend = None if proxy else CheckedBackend(resolver=resolver, stand_ins=stand_ins)
    pool = httpx.Limits(
        max_connections=limits.concurrency, max_keepalive_connections=limits.concurrency
    )
    return httpx.AsyncClient(
        transport=PushTransport(backend, limits=pool, proxy=proxy, http2=http2),
        timeout=httpx.Timeout(limits.timeout_seconds),
    )


def push_platforms(settings: HubSettings) -> list[str]:
    """The platforms the hub pushes to: Web Push always; FCM when a project and a token
    file are configured."""
    fcm = settings.fcm_project and settings.fcm_token_file
    return ["webpush", "fcm"] if fcm else ["webpush"]


def build_dispatcher(
    settings: HubSettings, db: Database
) -> tuple[PushDispatcher, httpx.AsyncClient]:
    """Web Push always; FCM when a project and a token file are configured."""
    client = push_client(settings)
    adapters: dict[str, PushAdapter] = {
        "webpush": WebPushAdapter(
            load_vapid(settings.data_dir, settings.vapid_private_key),
            client,
            contact=settings.push_contact,
        )
    }
    if settings.fcm_project and settings.fcm_token_file:  # as push_platforms says
        token_file = settings.fcm_token_file

        async def token() -> str:
            # Read at each send: whatever refreshes the token rewrites the file.
            return token_file.read_text().strip()

        adapters["fcm"] = FcmAdapter(client, project=settings.fcm_project, access_token=token)
    return PushDispatcher(db, adapters, limits=settings.push_limits), client
