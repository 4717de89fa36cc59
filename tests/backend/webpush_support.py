"""Web Push without a real push service: a browser's subscription that decrypts what it
receives, a push service that answers as told, and a dispatcher wired to it."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import http_ece
import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from app.backend.crud import auth, status, subscriptions
from app.backend.crud.components import save_component
from app.backend.db import Database
from app.backend.push_delivery import PushDispatcher
from app.backend.push_delivery.webpush import WebPushAdapter, load_vapid
from app.schemas import Impact
from app.schemas.mutations import DeviceRegisterArgs


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


class Browser:
    """A browser's push subscription: its keys, and what the push service handed it."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = b"0123456789abcdef"
        self.received: list[dict[str, Any]] = []
        self.headers: list[httpx.Headers] = []

    def keys(self) -> dict[str, str]:
        raw = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"p256dh": b64(raw), "auth": b64(self.auth)}

    def take(self, request: httpx.Request) -> None:
        plain = http_ece.decrypt(
            request.content, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
        )
        self.received.append(json.loads(plain))
        self.headers.append(request.headers)


def push_service(
    answers: dict[str, list[int]], browsers: dict[str, Browser]
) -> httpx.MockTransport:
    """Answers each endpoint with the next status in its list (201 when none is left)."""

    def handle(request: httpx.Request) -> httpx.Response:
        queue = answers.get(str(request.url), [])
        code = queue.pop(0) if queue else 201
        if code == 201:
            browsers[str(request.url)].take(request)
        return httpx.Response(code, headers={"Retry-After": "0"} if code == 429 else {})

    return httpx.MockTransport(handle)


def register(db: Database, email: str, platform: str, endpoint: str, keys: dict[str, str]) -> str:
    with db.write() as conn:
        customer = auth.ensure_customer(conn, email=email)
        subscriptions.register_device(
            conn,
            customer_id=customer.id,
            device=DeviceRegisterArgs(platform=platform, endpoint=endpoint, keys=keys),
        )
    return customer.id


def publish(db: Database, title: str, impact: Impact = Impact.critical) -> None:
    with db.write() as conn:
        save_component(conn, component_id="flights-ord", name="Flights at ORD")
        status.publish_incident(
            conn, title=title, impact=impact, components_affected=["flights-ord"], body="Now."
        )


def dispatcher(db: Database, tmp_path: Path, handler: httpx.MockTransport) -> PushDispatcher:
    client = httpx.AsyncClient(transport=handler)
    vapid = load_vapid(tmp_path)
    adapter = WebPushAdapter(vapid, client, contact="mailto:ops@northwind.example")
    return PushDispatcher(db, {"webpush": adapter}, retry_base=0.01)
