"""Web Push: the payload encrypted for the browser (RFC 8291, aes128gcm) and the request
signed with the hub's VAPID key (RFC 8292). Where it may be sent is the client's
transport's rule (`targets`)."""

from __future__ import annotations

import asyncio
import base64
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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


# A VAPID token is good this long (RFC 8292 allows at most 24 hours) and is signed
# anew once less than RENEW_BEFORE of it is left, so none is sent about to expire.
TOKEN_LIFETIME = 12 * 3600
RENEW_BEFORE = 3600


class WebPushAdapter:
    """`client` is shared by every push: it keeps connections to each push service
    alive (one HTTP/2 connection where the service speaks it). `encrypt_threads` > 0
    encrypts in that many threads instead of on the event loop (the key agreement
    releases the GIL; whether that pays depends on the cores free: see bench.push)."""

    platform = "webpush"

    def __init__(
        self,
        vapid: Vapid02,
        client: httpx.AsyncClient,
        *,
        contact: str,
        encrypt_threads: int = 0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.vapid = vapid
        self.client = client
        self.contact = contact
        self.clock = clock
        self.signatures = 0  # VAPID tokens signed so far
        # One signature per push service origin serves every device on it until it
        # nears expiry.
        self._signed: dict[str, tuple[float, dict[str, str]]] = {}
        self._pool = (
            ThreadPoolExecutor(encrypt_threads, thread_name_prefix="careline-encrypt")
            if encrypt_threads > 0
            else None
        )

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)

    def encrypt(
        self,
        device: Device,
        payload: bytes,
        *,
        server_key: ec.EllipticCurvePrivateKey | None = None,
        salt: bytes | None = None,
    ) -> bytes:
        """RFC 8291: a new key pair and salt for each push (given ones only to check
        the result against the RFC's example)."""
        encrypted: bytes = http_ece.encrypt(
            payload,
            private_key=server_key or ec.generate_private_key(ec.SECP256R1()),
            salt=salt,
            dh=b64url_decode(device.keys["p256dh"]),
            auth_secret=b64url_decode(device.keys["auth"]),
            version="aes128gcm",
        )
        return encrypted

    def vapid_headers(self, endpoint: str) -> dict[str, str]:
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        now = self.clock()
        cached = self._signed.get(audience)
        if cached and cached[0] > now + RENEW_BEFORE:
            return cached[1]
        expires = int(now) + TOKEN_LIFETIME
        headers: dict[str, str] = self.vapid.sign(
            {"aud": audience, "exp": expires, "sub": self.contact}
        )
        self.signatures += 1
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
        if self._pool is None:
            body = self.encrypt(device, message.payload())
        else:
            loop = asyncio.get_running_loop()
            body = await loop.run_in_executor(self._pool, self.encrypt, device, message.payload())
        async with self.client.stream(
            "POST", device.endpoint, content=body, headers=headers
        ) as response:
            # The start of the answer is enough to log; the rest is never read.
            first = await anext(aiter(response.aiter_bytes()), b"")
        detail = first[:200].decode("utf-8", "replace")
        return outcome_for(response.status_code, response.headers.get("retry-after"), detail)
