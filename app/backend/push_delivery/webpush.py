"""Web Push: the payload encrypted for the browser (RFC 8291, aes128gcm) and the request
signed with the hub's VAPID key (RFC 8292). Where it may be sent is the client's
transport's rule (`targets`)."""

from __future__ import annotations

import base64
import os
import time
from pathlib import Path
from urllib.parse import urlsplit

import http_ece
import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02
from py_vapid.utils import b64urlencode

from app.backend.push_delivery.base import Device, Outcome, PushMessage, outcome_for


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def load_vapid(data_dir: Path, pem: str | None = None) -> Vapid02:
    """The hub's VAPID key: `pem` (the setting `vapid_private_key`), else `vapid.pem` in
    the data dir (made once, readable by the owner only). Never from the repository."""
    if pem:
        return Vapid02.from_pem(pem.encode())
    path = data_dir / "vapid.pem"
    if not path.exists():
        key = Vapid02()
        key.generate_keys()
        made = key.private_pem()
        try:
            # Made readable by the owner only from the start; the first of several hubs
            # starting at once wins and the others read its key.
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(handle, "wb") as out:
                out.write(made)
    return Vapid02.from_file(str(path))


def public_key(vapid: Vapid02) -> str:
    """The application server key browsers subscribe with (base64url, uncompressed)."""
    raw = vapid.public_key.public_bytes(
        encoding=serialization.Encoding.X962,
        format=serialization.PublicFormat.UncompressedPoint,
    )
    return str(b64urlencode(raw))


class WebPushAdapter:
    platform = "webpush"

    def __init__(
        self,
        vapid: Vapid02,
        client: httpx.AsyncClient,
        *,
        contact: str,
    ) -> None:
        self.vapid = vapid
        self.client = client
        self.contact = contact
        # One signature per push service serves every device on it until it nears expiry.
        self._signed: dict[str, tuple[float, dict[str, str]]] = {}

    def encrypt(self, device: Device, payload: bytes) -> bytes:
        server_key = ec.generate_private_key(ec.SECP256R1())
        encrypted: bytes = http_ece.encrypt(
            payload,
            private_key=server_key,
            dh=b64url_decode(device.keys["p256dh"]),
            auth_secret=b64url_decode(device.keys["auth"]),
            version="aes128gcm",
        )
        return encrypted

    def vapid_headers(self, endpoint: str) -> dict[str, str]:
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        now = time.time()
        cached = self._signed.get(audience)
        if cached and cached[0] > now + 3600:
            return cached[1]
        expires = int(now) + 12 * 3600
        headers: dict[str, str] = self.vapid.sign(
            {"aud": audience, "exp": expires, "sub": self.contact}
        )
        self._signed[audience] = (expires, headers)
        return headers

    async def send(self, device: Device, message: PushMessage) -> Outcome:
        if not {"p256dh", "auth"} <= device.keys.keys():
            return outcome_for(400, None, "the subscription has no encryption keys")
        headers = {
            **self.vapid_headers(device.endpoint),
            "TTL": str(message.ttl),
            "Topic": message.topic,
            "Urgency": "high" if message.urgent else "normal",
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
        }
        body = self.encrypt(device, message.payload())
        async with self.client.stream(
            "POST", device.endpoint, content=body, headers=headers
        ) as response:
            # The start of the answer is enough to log; the rest is never read.
            first = await anext(aiter(response.aiter_bytes()), b"")
        detail = first[:200].decode("utf-8", "replace")
        return outcome_for(response.status_code, response.headers.get("retry-after"), detail)
