"""Web Push throughput: encrypted, VAPID-signed deliveries per second from one hub
process's dispatcher to a push service stand-in in its own process (`push_receiver`:
HTTPS on loopback, every signature checked, a sample decrypted), reached as
https://push.careline.test through the hub's test-only push stand-in; beside it, the raw
rate of the Web Push encryption alone on one core, measured in the same run.

    python -m bench.push [--devices 1000 --rounds 5 --http1 --encrypt-threads N]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import multiprocessing
import os
import socket
import statistics
import tempfile
import time
from pathlib import Path

import uvloop
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from app.backend.crud import auth, status, subscriptions
from app.backend.crud.components import save_component
from app.backend.db import Database, migrate
from app.backend.push_delivery import PushDispatcher
from app.backend.push_delivery.base import Device, PushMessage
from app.backend.push_delivery.setup import HTTP2, push_client
from app.backend.push_delivery.webpush import WebPushAdapter, load_vapid, public_key
from app.backend.settings import HubSettings, sqlite_url
from app.schemas import Impact
from app.schemas.mutations import DeviceRegisterArgs
from bench.push_receiver import Counts, Subscription, serve
from tests.push_service import HOST, make_certificates

AUTH = b"0123456789abcdef"
SAMPLE = 20  # the receiver decrypts one push in this many
MESSAGE = PushMessage(
    "Ground stop", "All departures held.", "/status", "incident", "i1", 1, 60, "t"
)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def raw_encryption_rate(adapter: WebPushAdapter, device: Device, seconds: float = 2.0) -> float:
    """Encryptions per second of this thread's CPU time (one core, as the hub encrypts a
    push); CPU time, not the clock, so other work on a shared machine counts less."""
    payload = MESSAGE.payload()
    done, started = 0, time.thread_time()
    while time.thread_time() - started < seconds:
        for _ in range(100):
            adapter.encrypt(device, payload)
        done += 100
    return done / (time.thread_time() - started)


def subscribe(db: Database, count: int, keys: dict[str, str]) -> None:
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


async def run(count: int, rounds: int, http2: bool, threads: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="careline-bench-push-"))
    db = Database(sqlite_url(folder))
    migrate(db)
    browser = ec.generate_private_key(ec.SECP256R1())
    point = browser.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    keys = {"p256dh": b64(point), "auth": b64(AUTH)}
    subscribe(db, count, keys)
    vapid = load_vapid(folder)
    port = free_port()
    ca_file, cert_file, key_file = make_certificates(folder / "tls")
    os.environ["SSL_CERT_FILE"] = str(ca_file)  # the push client trusts the test authority
    spawn = multiprocessing.get_context("spawn")
    counts = Counts(*(spawn.Value("q", 0) for _ in range(5)))
    der = browser.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    sub = Subscription(der, AUTH, public_key(vapid), f"https://{HOST}")
    receiver = spawn.Process(
        target=serve, args=(port, str(cert_file), str(key_file), counts, sub, SAMPLE), daemon=True
    )
    receiver.start()
    while True:  # until the receiver listens
        try:
            socket.create_connection(("127.0.0.1", port)).close()
            break
        except OSError:
            await asyncio.sleep(0.05)
    settings = HubSettings(
        data_dir=folder,
        database_url=sqlite_url(folder),
        push_stand_ins=(f"{HOST}=127.0.0.1:{port}",),
    )
    async with push_client(settings, http2=http2) as client:
        adapter = WebPushAdapter(
            vapid, client, contact="mailto:bench@example.com", encrypt_threads=threads
        )
        device = Device("d", "c", "webpush", f"https://{HOST}/sub/0", keys)
        raw = raw_encryption_rate(adapter, device)
        dispatcher = PushDispatcher(db, {"webpush": adapter}, limits=settings.push_limits)
        await dispatcher.push_new()  # sets where pushing starts
        rates: list[float] = []
        per_cpu: list[float] = []  # deliveries per second of the hub's CPU time
        for n in range(rounds):
            with db.write() as conn:
                status.publish_incident(
                    conn,
                    title=f"Ground stop {n}",
                    impact=Impact.critical,
                    components_affected=["flights-ord"],
                    body="All departures held.",
                )
            before = counts.received.value
            started, cpu = time.perf_counter(), time.process_time()
            await dispatcher.push_new()
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            rates.append((counts.received.value - before) / elapsed)
            per_cpu.append((counts.received.value - before) / cpu)
        adapter.close()
    receiver.kill()
    db.dispose()
    rate, capacity = statistics.median(rates), statistics.median(per_cpu)
    protocol = "HTTP/2" if http2 else "HTTP/1.1"
    print(
        f"one hub process, {protocol}, encryption "
        f"{f'in {threads} threads' if threads else 'on the event loop'}: "
        f"{counts.received.value:,}/{count * rounds:,} pushes received over "
        f"{counts.connections.value} connection(s), {counts.bad_signature.value} with a bad "
        f"signature, {counts.decrypted.value} of a sample decrypted "
        f"({counts.undecryptable.value} could not be)"
    )
    print(f"  deliveries/s per round: {', '.join(f'{r:,.0f}' for r in rates)}")
    print(f"  per second of hub CPU:  {', '.join(f'{r:,.0f}' for r in per_cpu)}")
    print(f"raw Web Push encryption, one core: {raw:,.0f}/s of CPU time")
    verdict = "met" if capacity >= raw / 2 else "NOT met"
    print(
        f"one hub process: {rate:,.0f} deliveries/s by the clock, {capacity:,.0f} per second "
        f"of its CPU (medians): {capacity / raw:.0%} of the raw encryption rate; "
        f"goal >= 50% ({raw / 2:,.0f}/s): {verdict}"
    )
    print("two processes: needs batch claiming")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--http1", action="store_true", help="HTTP/1.1 even with h2 installed")
    parser.add_argument("--encrypt-threads", type=int, default=0)
    args = parser.parse_args()
    # On uvloop, as uvicorn runs the hub (and its dispatcher) where uvloop is installed.
    uvloop.run(run(args.devices, args.rounds, HTTP2 and not args.http1, args.encrypt_threads))


if __name__ == "__main__":
    main()
