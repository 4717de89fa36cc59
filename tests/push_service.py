"""A stand-in Web Push service for tests that run a real hub process (no push service can
be reached from these machines). It answers at https://push.careline.test with a
certificate from a test authority, so the hub sends as it would in production: TLS,
VAPID, encrypted payloads. `env()` gives the hub process what it needs to find it: the
test-only setting CARELINE_PUSH_STAND_INS (push.careline.test is at this loopback port)
and SSL_CERT_FILE; `proxy_env()` reaches it through an HTTP CONNECT proxy on loopback
instead, as a hub behind an outbound proxy does. `received` holds every push as it
arrived, still encrypted. `route()` adds other names, such as a `BlackHole`'s. It keeps
connections alive (HTTP/1.1; it offers no HTTP/2) and counts them in `connections`;
`answers` gives a path the statuses it answers next (201 once none is left).

It answers under every name in `names` (one certificate for all), so a test has several
push services to the hub; `throttle()` makes one answer 429 for a while; `hold()` keeps
every push unanswered until `release()`, and a push whose sender died meanwhile is never
accepted (a push service accepts a push by answering it)."""

from __future__ import annotations

import datetime
import select as selectors
import socket
import ssl
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

HOST = "push.careline.test"
Address = tuple[str, int]


class BlackHole:
    """A push service that takes connections and never answers (a frozen server, or one
    that means to hold the hub's pushes up); it counts the connections it took."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.address: Address = self._socket.getsockname()[:2]
        self.accepted = 0
        self._held: list[socket.socket] = []
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._socket.accept()
            except OSError:
                return
            self.accepted += 1
            self._held.append(client)
            if self._closed:  # taken while closing
                client.close()

    def close(self) -> None:
        self._closed = True
        self._socket.close()
        for held in list(self._held):
            held.close()


@dataclass(frozen=True)
class Delivered:
    path: str
    headers: dict[str, str]
    body: bytes
    host: str = HOST
    at: float = 0.0  # monotonic time it was accepted


def _certificate(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: tuple[x509.Name, ec.EllipticCurvePrivateKey] | None,
    names: tuple[str, ...] = (),
) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    issuer_name, signer = issuer or (name, key)
    moment = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(moment - datetime.timedelta(minutes=5))
        .not_valid_after(moment + datetime.timedelta(days=1))
    )
    if issuer is None:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
    else:
        alternatives = [x509.DNSName(n) for n in (subject, *names)]
        builder = builder.add_extension(x509.SubjectAlternativeName(alternatives), False)
    return builder.sign(signer, hashes.SHA256())


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def make_certificates(folder: Path, names: tuple[str, ...] = ()) -> tuple[Path, Path, Path]:
    """A test authority and a certificate for HOST (and `names`) signed by it, as PEM
    files in `folder`: (the authority, the server's certificate, its key)."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("Careline test authority", ca_key, None)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate(HOST, key, (ca.subject, ca_key), names)
    ca_file, cert_file, key_file = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    ca_file.write_bytes(_pem(ca))
    cert_file.write_bytes(_pem(cert))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return ca_file, cert_file, key_file


class PushService:
    def __init__(self, folder: Path, names: tuple[str, ...] = ()) -> None:
        self.received: list[Delivered] = []
        self.refused: list[Delivered] = []  # answered 429
        self.held = 0  # pushes waiting for `release()`
        self.delay = 0.0  # seconds each answer takes
        self._busy: dict[str, tuple[float, float | None]] = {}  # name: seconds, until
        self._open = threading.Event()
        self._open.set()
        self._lock = threading.Lock()
        self.ca_file, cert_file, key_file = make_certificates(folder, names)
        self.connections = 0
        self.answers: dict[str, list[int]] = {}
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_file, key_file)
        service = self

        class Receiver(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # connections kept alive, as push services do

            def setup(self) -> None:
                service.connections += 1
                super().setup()

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                host = self.headers.get("Host", HOST).partition(":")[0]
                time.sleep(service.delay)
                if not service._open.is_set():
                    with service._lock:
                        service.held += 1
                    service._open.wait()
                    with service._lock:
                        service.held -= 1
                    if selectors.select([self.connection], [], [], 0)[0]:
                        return  # the sender is gone: nothing was accepted
                seen = Delivered(self.path, dict(self.headers), body, host, time.monotonic())
                queue = service.answers.get(self.path)
                wait = service._refusing(host)
                if queue:  # a status the test asked for
                    status = queue.pop(0)
                    if status == 201:
                        service.received.append(seen)
                    self.send_response(status)
                elif wait is not None:
                    service.refused.append(seen)
                    self.send_response(429)
                    self.send_header("Retry-After", str(wait))
                else:
                    service.received.append(seen)
                    self.send_response(201)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._https = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        self._https.socket = context.wrap_socket(self._https.socket, server_side=True)
        self._proxy = socket.create_server(("127.0.0.1", 0))
        self.proxy_url = f"http://127.0.0.1:{self._proxy.getsockname()[1]}"
        host, port = self._https.server_address[:2]
        self.routes: dict[str, Address] = {n: (str(host), port) for n in (HOST, *names)}
        threading.Thread(target=self._https.serve_forever, daemon=True).start()
        threading.Thread(target=self._accept, daemon=True).start()

    def route(self, name: str, address: Address) -> None:
        """Pushes to https://name/ go to `address` too."""
        self.routes[name] = address

    def env(self) -> dict[str, str]:
        """What a hub process needs to push here directly (tests only: a production hub
        never has CARELINE_PUSH_STAND_INS)."""
        stand_ins = ",".join(f"{name}={host}:{port}" for name, (host, port) in self.routes.items())
        return {"CARELINE_PUSH_STAND_INS": stand_ins, "SSL_CERT_FILE": str(self.ca_file)}

    def proxy_env(self) -> dict[str, str]:
        """What a hub process behind an outbound proxy needs to push here."""
        return {"HTTPS_PROXY": self.proxy_url, "SSL_CERT_FILE": str(self.ca_file)}

    def endpoint(self, name: str, host: str = HOST) -> str:
        return f"https://{host}/push/{name}"

    def throttle(self, host: str, seconds: float) -> None:
        """`host` answers 429 (Retry-After: the seconds left) for `seconds` from the first
        push it gets."""
        self._busy[host] = (seconds, None)

    def _refusing(self, host: str) -> int | None:
        """Seconds left of `host`'s 429s, None when it accepts."""
        with self._lock:
            if host not in self._busy:
                return None
            seconds, until = self._busy[host]
            if until is None:
                until = time.monotonic() + seconds
                self._busy[host] = (seconds, until)
            left = until - time.monotonic()
            return max(1, round(left)) if left > 0 else None

    def hold(self) -> None:
        """Leave every push from now on unanswered until `release()`."""
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    def counts(self) -> Counter[str]:
        """Pushes accepted per endpoint path."""
        return Counter(d.path for d in self.received)

    def wait_for(self, count: int, seconds: float = 20) -> list[Delivered]:
        deadline = time.monotonic() + seconds
        while len(self.received) < count:
            assert time.monotonic() < deadline, f"{len(self.received)} of {count} pushes came"
            time.sleep(0.05)
        return self.received

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._proxy.accept()
            except OSError:
                return
            threading.Thread(target=self._tunnel, args=(client,), daemon=True).start()

    def _tunnel(self, client: socket.socket) -> None:
        """CONNECT to a routed name on port 443 reaches its address; anything else is
        refused, as a proxy that keeps to the push services would."""
        with client:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = client.recv(4096)
                if not chunk:
                    return
                request += chunk
            target = request.split(b" ")[1].decode(errors="replace") if b" " in request else ""
            name, _, port = target.rpartition(":")
            if name not in self.routes or port != "443":
                client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                return
            upstream = socket.create_connection(self.routes[name])
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            with upstream:
                pair = {client: upstream, upstream: client}
                while True:
                    ready, _, _ = selectors.select(list(pair), [], [], 30)
                    if not ready:
                        return
                    for end in ready:
                        data = end.recv(65536)
                        if not data:
                            return
                        pair[end].sendall(data)

    def close(self) -> None:
        self._https.shutdown()
        self._proxy.close()
