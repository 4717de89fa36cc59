"""Web Push throughput: encrypted, VAPID-signed deliveries per second from the hub's
dispatcher to a local receiver (a real HTTPS server on loopback that decrypts each one,
reached as https://push.careline.test through the hub's test-only push stand-in).

    python -m bench.push [--devices 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import socket
import tempfile
import threading
import time
from pathlib import Path

import http_ece
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.backend.crud import auth, status, subscriptions
from app.backend.crud.components import save_component
from app.backend.db import Database, migrate
from app.backend.push_delivery import PushDispatcher
from app.backend.push_delivery.setup import push_client
from app.backend.push_delivery.webpush import WebPushAdapter, load_vapid
from app.backend.settings import HubSettings, sqlite_url
from app.schemas import Impact
from app.schemas.mutations import DeviceRegisterArgs
from tests.push_service import HOST, make_certificates

KEY = ec.generate_private_key(ec.SECP256R1())
AUTH = b"0123456789abcdef"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


class Receiver:
    """A push service stand-in that decrypts what it receives and counts it."""

    def __init__(self) -> None:
        self.received = 0
        self.all_in = threading.Event()
        self.expected = 0

    async def take(self, request: Request) -> Response:
        http_ece.decrypt(
            await request.body(), private_key=KEY, auth_secret=AUTH, version="aes128gcm"
        )
        self.received += 1
        if self.received >= self.expected:
            self.all_in.set()
        return Response(status_code=201)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def run(count: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="careline-bench-push-"))
    db = Database(sqlite_url(folder))
    migrate(db)
    receiver = Receiver()
    receiver.expected = count
    port = free_port()
    ca_file, cert_file, key_file = make_certificates(folder / "tls")
    os.environ["SSL_CERT_FILE"] = str(ca_file)  # the push client trusts the test authority
    app = Starlette(routes=[Route("/sub/{n}", receiver.take, methods=["POST"])])
    config = uvicorn.Config(
        app,
        port=port,
        log_level="warning",
        ssl_certfile=str(cert_file),
        ssl_keyfile=str(key_file),
    )
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:  # noqa: ASYNC110 - the server runs in another thread
        await asyncio.sleep(0.05)
    point = KEY.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    keys = {"p256dh": b64(point), "auth": b64(AUTH)}
    with db.write() as conn:
        save_component(conn, component_id="flights-ord", name="Flights at ORD")
        for n in range(count):
            customer = auth.ensure_customer(conn, email=f"push{n}@example.com")
            subscriptions.register_device(
                conn,
                customer_id=customer.id,
                device=DeviceRegisterArgs(
                    platform="webpush", endpoint=f"https://{HOST}/sub/{n}", keys=keys
                ),
            )
    settings = HubSettings(
        data_dir=folder,
        database_url=sqlite_url(folder),
        push_stand_ins=(f"{HOST}=127.0.0.1:{port}",),
    )
    async with push_client(settings) as client:
        adapter = WebPushAdapter(load_vapid(folder), client, contact="mailto:bench@example.com")
        dispatcher = PushDispatcher(db, {"webpush": adapter}, limits=settings.push_limits)
        await dispatcher.push_new()  # sets where pushing starts
        with db.write() as conn:
            status.publish_incident(
                conn,
                title="Ground stop",
                impact=Impact.critical,
                components_affected=["flights-ord"],
                body="All departures held.",
            )
        started = time.perf_counter()
        await dispatcher.push_new()
        elapsed = time.perf_counter() - started
    server.should_exit = True
    print(
        f"{receiver.received:,}/{count:,} pushes encrypted, signed, sent and decrypted in "
        f"{elapsed:.2f} s: {receiver.received / elapsed:,.0f} deliveries/s"
    )
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=1000)
    asyncio.run(run(parser.parse_args().devices))


if __name__ == "__main__":
    main()
