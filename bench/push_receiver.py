"""The push service stand-in `bench.push` sends to, run in its own process so that its
work is not the hub's: HTTPS on loopback speaking HTTP/2 or HTTP/1.1 (whichever the hub
offers by ALPN), the VAPID signature of every request checked (audience, expiry,
ES256), and one request in `sample` decrypted with the subscription's keys (a push
service never decrypts; this checks the hub's encryption without costing as much)."""

from __future__ import annotations

import asyncio
import base64
import json
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.sharedctypes import Synchronized
from typing import cast

import h2.config
import h2.connection
import h2.events
import http_ece
import httptools
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Counts:
    """Shared with the bench process: what came, and what was wrong with it."""

    received: Synchronized[int]
    bad_signature: Synchronized[int]
    decrypted: Synchronized[int]
    undecryptable: Synchronized[int]
    connections: Synchronized[int]


@dataclass(frozen=True)
class Subscription:
    """The browser side all the bench's devices share."""

    private_key: bytes  # PKCS8 DER of the subscription's ECDH key
    auth: bytes
    vapid_key: str  # the hub's application server key (base64url), as browsers know it
    audience: str


class Checker:
    def __init__(self, counts: Counts, sub: Subscription, sample: int) -> None:
        from cryptography.hazmat.primitives.serialization import load_der_private_key

        key = load_der_private_key(sub.private_key, None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        self.key = key
        self.counts = counts
        self.sub = sub
        self.sample = sample
        self.vapid = ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), unb64(sub.vapid_key)
        )

    def signed(self, authorization: str) -> bool:
        """RFC 8292: `vapid t=<ES256 JWT>, k=<key>` by the hub's key, for this origin."""
        fields = dict(
            part.strip().split("=", 1) for part in authorization.removeprefix("vapid ").split(",")
        )
        if fields.get("k") != self.sub.vapid_key:
            return False
        head, body, signature = fields["t"].split(".")
        raw = unb64(signature)
        der = encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
        try:
            self.vapid.verify(der, f"{head}.{body}".encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return False
        claims = json.loads(unb64(body))
        return bool(claims["aud"] == self.sub.audience and claims["exp"] > time.time())

    def take(self, authorization: str, body: bytes) -> int:
        if not self.signed(authorization):
            with self.counts.bad_signature.get_lock():
                self.counts.bad_signature.value += 1
            return 403
        with self.counts.received.get_lock():
            self.counts.received.value += 1
            sampled = self.counts.received.value % self.sample == 0
        if sampled:
            try:
                plain = http_ece.decrypt(
                    body, private_key=self.key, auth_secret=self.sub.auth, version="aes128gcm"
                )
                json.loads(plain)
                self.counts.decrypted.value += 1
            except Exception:
                self.counts.undecryptable.value += 1
        return 201


class Http2(asyncio.Protocol):
    def __init__(self, checker: Checker) -> None:
        self.checker = checker
        self.conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
        self.streams: dict[int, tuple[str, bytearray]] = {}

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        self.conn.initiate_connection()
        self.transport.write(self.conn.data_to_send())

    def data_received(self, data: bytes) -> None:
        for event in self.conn.receive_data(data):
            if isinstance(event, h2.events.RequestReceived):
                headers = {bytes(k).lower(): bytes(v) for k, v in event.headers}
                self.streams[event.stream_id] = (
                    headers.get(b"authorization", b"").decode(),
                    bytearray(),
                )
            elif isinstance(event, h2.events.DataReceived):
                self.streams[event.stream_id][1].extend(event.data)
                self.conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            elif isinstance(event, h2.events.StreamEnded):
                authorization, body = self.streams.pop(event.stream_id)
                status = self.checker.take(authorization, bytes(body))
                self.conn.send_headers(
                    event.stream_id,
                    [(":status", str(status)), ("content-length", "0")],
                    end_stream=True,
                )
        self.transport.write(self.conn.data_to_send())


class Http1(asyncio.Protocol):
    def __init__(self, checker: Checker) -> None:
        self.checker = checker
        self.parser = httptools.HttpRequestParser(self)
        self.headers: dict[bytes, bytes] = {}
        self.body = bytearray()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def data_received(self, data: bytes) -> None:
        self.parser.feed_data(data)

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers[name.lower()] = value

    def on_body(self, body: bytes) -> None:
        self.body.extend(body)

    def on_message_complete(self) -> None:
        status = self.checker.take(
            self.headers.get(b"authorization", b"").decode(), bytes(self.body)
        )
        self.headers, self.body = {}, bytearray()
        self.transport.write(f"HTTP/1.1 {status} X\r\ncontent-length: 0\r\n\r\n".encode())


class ByAlpn(asyncio.Protocol):
    """Becomes Http2 or Http1 once TLS has told which the client chose."""

    def __init__(self, make: Callable[[str | None], asyncio.Protocol], counts: Counts) -> None:
        self.make = make
        self.counts = counts
        self.inner: asyncio.Protocol | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        with self.counts.connections.get_lock():
            self.counts.connections.value += 1
        ssl_object = transport.get_extra_info("ssl_object")
        self.inner = self.make(ssl_object.selected_alpn_protocol() if ssl_object else None)
        self.inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        assert self.inner is not None
        self.inner.data_received(data)


def serve(port: int, cert: str, key: str, counts: Counts, sub: Subscription, sample: int) -> None:
    """The receiver process's body: serve until killed."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.set_alpn_protocols(["h2", "http/1.1"])
    checker = Checker(counts, sub, sample)

    def make(alpn: str | None) -> asyncio.Protocol:
        return Http2(checker) if alpn == "h2" else Http1(checker)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            lambda: ByAlpn(make, counts), "127.0.0.1", port, ssl=context, backlog=1024
        )
        async with server:
            await server.serve_forever()

    import uvloop

    uvloop.run(main())
